/**
 * Campaign touches: the campaign parameters (utm_*, ad click ids) an event carried,
 * written to {@code profile.campaign_touch} with the event's effect.
 */
package io.lodestar.etl.campaign;
