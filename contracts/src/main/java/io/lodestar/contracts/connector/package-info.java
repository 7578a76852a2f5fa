/**
 * The record envelope connectors publish on {@code cdp.connector.records}, and its kinds.
 */
package io.lodestar.contracts.connector;
