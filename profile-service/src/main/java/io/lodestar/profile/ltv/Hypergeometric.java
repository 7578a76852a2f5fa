package io.lodestar.profile.ltv;

/**
 * The Gaussian hypergeometric function ₂F₁(a, b; c; z) by its power series, for 0 ≤ z <
 * 1.
 */
final class Hypergeometric {

	private Hypergeometric() {
	}

	static double hyp2f1(double a, double b, double c, double z) {
		if (z < 0 || z >= 1) {
			throw new IllegalArgumentException("z must be in [0, 1): " + z);
		}
		double term = 1;
		double sum = 1;
		for (int j = 0; j < 1_000_000; j++) {
			term *= (a + j) * (b + j) / ((c + j) * (j + 1)) * z;
			sum += term;
			if (Math.abs(term) < 1e-14 * Math.abs(sum)) {
				return sum;
			}
		}
		throw new ArithmeticException("2F1 series did not converge for z=" + z);
	}

}
