/**
 * Profile search and list: filters on traits and computed traits compiled to
 * parameterised SQL, keyset paging, a total estimate, and a streamed CSV export that
 * respects consent.
 */
package io.lodestar.profile.search;
