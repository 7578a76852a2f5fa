/**
 * Identifier kinds and the normalisation and hashing rules every service applies to them,
 * so that the pipeline (which writes identities) and the profile API (which looks them
 * up) agree.
 */
package io.lodestar.contracts.identity;
