/**
 * Analytics over the event timeline: KPIs, sales, top events, funnels, paths, retention
 * cohorts and kiosk zones, as JSON or CSV for the dashboard and REST clients.
 */
package io.lodestar.profile.analytics;
