/**
 * The local stack: starts the embedded infrastructure and every service on 127.0.0.1,
 * loads the sample data, and stops exactly what it started.
 */
package io.lodestar.stack;
