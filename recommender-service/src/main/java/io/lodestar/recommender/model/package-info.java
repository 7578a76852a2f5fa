/**
 * Model versions after training: promotion by policy, pin, unpin, rollback, the decision
 * on each version, and the serving version's factors held in memory per workspace.
 */
package io.lodestar.recommender.model;
