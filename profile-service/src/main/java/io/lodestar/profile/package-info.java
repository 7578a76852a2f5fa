/**
 * profile-service: reads of the unified customer profiles.
 */
package io.lodestar.profile;
