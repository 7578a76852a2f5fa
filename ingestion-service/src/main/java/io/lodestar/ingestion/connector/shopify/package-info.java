/**
 * Shopify GraphQL Admin API orders: cursor paging to the end, throttling by query cost.
 */
package io.lodestar.ingestion.connector.shopify;
