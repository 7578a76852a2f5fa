package io.lodestar.profile.ltv;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One fit of a workspace's LTV models (time unit: days).
 *
 * @param modelId the fit's id
 * @param fittedAt when it was fitted
 * @param observedUntil the end of the observation window (the day after the last
 * purchase)
 * @param customers customers with at least one purchase
 * @param repeatCustomers customers with a repeat purchase
 * @param bgNbd purchase and dropout parameters
 * @param gammaGamma spend parameters, absent when too few repeat customers had a value
 * @param logLikelihood the BG/NBD log-likelihood at the fit
 * @param durationMs how long reading and fitting took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LtvModelView(UUID modelId, Instant fittedAt, Instant observedUntil, int customers, int repeatCustomers,
		BgNbd bgNbd, GammaGamma gammaGamma, double logLikelihood, long durationMs) {
}
