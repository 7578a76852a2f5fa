/**
 * A profile's event timeline: newest first, filtered by type and time, cursor-paged.
 */
package io.lodestar.profile.timeline;
