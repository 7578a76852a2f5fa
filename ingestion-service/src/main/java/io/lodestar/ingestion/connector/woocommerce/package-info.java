/**
 * WooCommerce REST orders: modified-after paging by page number, money strings to
 * decimals.
 */
package io.lodestar.ingestion.connector.woocommerce;
