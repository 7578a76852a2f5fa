/**
 * Routes from public paths to the services, and the request id every request carries.
 */
package io.lodestar.gateway.routing;
