/**
 * api-gateway: the one entry point of the platform.
 */
package io.lodestar.gateway;
