/**
 * Consent per purpose (analytics, marketing, personalisation), with its source and time;
 * the latest decision per purpose wins.
 */
package io.lodestar.profile.consent;
