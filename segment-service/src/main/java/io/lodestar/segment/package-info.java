/**
 * segment-service: audiences defined by rules over profiles and events, kept up to date.
 * The rule language, membership and activation arrive with the segments issue.
 */
package io.lodestar.segment;
