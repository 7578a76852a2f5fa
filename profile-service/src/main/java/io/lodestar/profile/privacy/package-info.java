/**
 * Privacy requests: the right of access (a JSON export of everything held on a person)
 * and the right to erasure (from PostgreSQL and the lake, with the person's identifiers
 * put on a suppression list the collector honours), run as asynchronous jobs with a
 * status and audited without personal data.
 */
package io.lodestar.profile.privacy;
