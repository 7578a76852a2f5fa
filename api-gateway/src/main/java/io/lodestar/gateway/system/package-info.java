/**
 * Cross-cutting concerns: errors as RFC 9457 problem JSON.
 */
package io.lodestar.gateway.system;
