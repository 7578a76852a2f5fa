/**
 * Who may call the API: users with password login and signed access tokens, roles per
 * workspace, API keys for machine clients, the permission of every path, the caller's
 * workspace enforced before a request reaches a service, and rate limits per caller.
 */
package io.lodestar.gateway.access;
