/**
 * One OpenAPI document for the whole public API, merged from the gateway's own and every
 * service's, with Swagger UI on it.
 */
package io.lodestar.gateway.openapi;
