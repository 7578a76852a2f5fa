/**
 * Cross-cutting web concerns: the caller's workspace and RFC 9457 problem responses.
 */
package io.lodestar.profile.system;
