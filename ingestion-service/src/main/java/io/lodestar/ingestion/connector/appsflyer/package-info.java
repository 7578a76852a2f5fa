/**
 * AppsFlyer raw-data export (CSV) of in-app events and installs to track events; daily
 * caps pause the connector until the next day.
 */
package io.lodestar.ingestion.connector.appsflyer;
