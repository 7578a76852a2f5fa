package io.lodestar.profile.ltv;

/**
 * A customer's purchase history in the form the models take, in one time unit (days or
 * weeks): repeat purchases only, counted from the first purchase.
 *
 * @param x repeat purchases (purchase days after the first)
 * @param tx time of the last purchase, from the first
 * @param t time from the first purchase to the end of observation
 * @param monetary average value of the repeat purchases (0 when x is 0)
 */
public record CustomerSummary(int x, double tx, double t, double monetary) {

	public CustomerSummary {
		if (x < 0 || tx < 0 || t < tx || (x == 0 && tx != 0)) {
			throw new IllegalArgumentException("inconsistent summary x=" + x + " tx=" + tx + " T=" + t);
		}
	}

}
