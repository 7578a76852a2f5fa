/**
 * Shared web behaviour of the Spring MVC services: problem JSON and the caller's
 * workspace.
 */
package io.lodestar.web;
