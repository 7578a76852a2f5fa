/**
 * Google sources: Google Ads searchStream (GAQL campaign days, micros to currency) and
 * the GA4 Data API runReport, both behind the OAuth refresh-token flow.
 */
package io.lodestar.ingestion.connector.google;
