/**
 * The client of etl-service's lake API, shared by the privacy jobs and the timeline.
 */
package io.lodestar.profile.lake;
