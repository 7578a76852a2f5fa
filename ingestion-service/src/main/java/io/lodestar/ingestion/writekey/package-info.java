/**
 * Write keys: which workspace and source an event source writes to. Keys are stored
 * hashed.
 */
package io.lodestar.ingestion.writekey;
