package io.lodestar.profile.ltv;

import java.util.List;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV"): a customer's
 * purchase values are Gamma(p, ν) around their own mean, with ν ~ Gamma(q, γ) across
 * customers. Fitted on customers with at least one repeat purchase, from the average
 * value of their repeat purchases.
 *
 * @param p shape of purchase values
 * @param q shape of the customers' scale distribution
 * @param gamma scale of the customers' scale distribution
 */
public record GammaGamma(double p, double q, double gamma) {

	public static GammaGamma fit(List<CustomerSummary> customers) {
		List<CustomerSummary> repeat = customers.stream().filter((c) -> c.x() > 0 && c.monetary() > 0).toList();
		if (repeat.size() < 3) {
			throw new IllegalArgumentException("too few repeat customers with spend to fit");
		}
		double mean = repeat.stream().mapToDouble(CustomerSummary::monetary).average().orElse(1);
		double[] fitted = NelderMead.maximisePositive((v) -> new GammaGamma(v[0], v[1], v[2]).logLikelihood(repeat),
				new double[] { 1, 2, Math.max(mean, 1e-3) });
		return new GammaGamma(fitted[0], fitted[1], fitted[2]);
	}

	public double logLikelihood(List<CustomerSummary> customers) {
		double sum = 0;
		for (CustomerSummary c : customers) {
			if (c.x() > 0 && c.monetary() > 0) {
				double px = this.p * c.x();
				sum += logGamma(px + this.q) - logGamma(px) - logGamma(this.q) + this.q * Math.log(this.gamma)
						+ (px - 1) * Math.log(c.monetary()) + px * Math.log(c.x())
						- (px + this.q) * Math.log(this.gamma + c.monetary() * c.x());
			}
		}
		return sum;
	}

	/**
	 * The expected value of the customer's future purchases: their own average shrunk
	 * towards the population's, more so the fewer purchases they made. With no repeat
	 * purchase it is the population mean.
	 */
	public double expectedAverageSpend(CustomerSummary c) {
		if (c.x() == 0 || c.monetary() <= 0) {
			return this.p * this.gamma / (this.q - 1);
		}
		return (this.p * (this.gamma + c.x() * c.monetary())) / (this.p * c.x() + this.q - 1);
	}

}
