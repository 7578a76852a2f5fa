package io.lodestar.profile.ltv;

import java.util.List;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The BG/NBD model (Fader, Hardie and Lee 2005, "Counting your customers the easy way"):
 * while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they
 * drop out with probability p ~ Beta(a, b).
 *
 * @param r shape of the purchase-rate distribution
 * @param alpha scale of the purchase-rate distribution (in the summaries' time unit)
 * @param a first shape of the dropout distribution
 * @param b second shape of the dropout distribution
 */
public record BgNbd(double r, double alpha, double a, double b) {

	/**
	 * The maximum-likelihood parameters for these customers.
	 * @param customers repeat-purchase summaries
	 * @return the fitted model
	 */
	public static BgNbd fit(List<CustomerSummary> customers) {
		if (customers.isEmpty()) {
			throw new IllegalArgumentException("no customers to fit");
		}
		double meanT = customers.stream().mapToDouble(CustomerSummary::t).average().orElse(1);
		double[] p = NelderMead.maximisePositive((q) -> new BgNbd(q[0], q[1], q[2], q[3]).logLikelihood(customers),
				new double[] { 1, Math.max(meanT / 10, 1e-3), 1, 1 });
		return new BgNbd(p[0], p[1], p[2], p[3]);
	}

	/**
	 * The log-likelihood of these customers under this model.
	 */
	public double logLikelihood(List<CustomerSummary> customers) {
		double sum = 0;
		for (CustomerSummary customer : customers) {
			sum += logLikelihood(customer);
		}
		return sum;
	}

	double logLikelihood(CustomerSummary c) {
		int x = c.x();
		double a1 = logGamma(this.r + x) - logGamma(this.r) + this.r * Math.log(this.alpha);
		double a2 = logGamma(this.a + this.b) + logGamma(this.b + x) - logGamma(this.b) - logGamma(this.a + this.b + x);
		double a3 = -(this.r + x) * Math.log(this.alpha + c.t());
		if (x == 0) {
			return a1 + a2 + a3;
		}
		double a4 = Math.log(this.a) - Math.log(this.b + x - 1) - (this.r + x) * Math.log(this.alpha + c.tx());
		double max = Math.max(a3, a4);
		return a1 + a2 + max + Math.log(Math.exp(a3 - max) + Math.exp(a4 - max));
	}

	/**
	 * The probability that the customer is still alive at the end of observation.
	 */
	public double probabilityAlive(CustomerSummary c) {
		if (c.x() == 0) {
			return 1;
		}
		double odds = (this.a / (this.b + c.x() - 1))
				* Math.exp((this.r + c.x()) * (Math.log(this.alpha + c.t()) - Math.log(this.alpha + c.tx())));
		return 1 / (1 + odds);
	}

	/**
	 * The expected number of purchases in the next {@code horizon} time units, given the
	 * customer's history (equation 10 of the paper).
	 */
	public double expectedPurchases(double horizon, CustomerSummary c) {
		int x = c.x();
		double z = horizon / (this.alpha + c.t() + horizon);
		double hyp = Hypergeometric.hyp2f1(this.r + x, this.b + x, this.a + this.b + x - 1, z);
		double ratio = Math.exp((this.r + x) * (Math.log(this.alpha + c.t()) - Math.log(this.alpha + c.t() + horizon)));
		double numerator = ((this.a + this.b + x - 1) / (this.a - 1)) * (1 - ratio * hyp);
		double denominator = 1;
		if (x > 0) {
			denominator += (this.a / (this.b + x - 1))
					* Math.exp((this.r + x) * (Math.log(this.alpha + c.t()) - Math.log(this.alpha + c.tx())));
		}
		return numerator / denominator;
	}

}
