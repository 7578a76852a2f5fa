/**
 * Profile lookup: a profile by its id or by any identifier that resolves to it.
 */
package io.lodestar.profile.lookup;
