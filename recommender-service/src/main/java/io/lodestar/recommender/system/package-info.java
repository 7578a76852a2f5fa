/**
 * Cross-cutting configuration: the service's typed settings and its schedulers.
 */
package io.lodestar.recommender.system;
