package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The overview: the range's KPIs, the previous period's, and a series for the chart.
 *
 * @param current the range
 * @param previous the period of the same length just before
 * @param change relative change from previous to current per KPI (null when previous is
 * 0)
 * @param interval the series' bucket: day, week or month
 * @param series revenue, orders and active profiles per bucket of the range
 */
record KpiResult(Kpis current, Kpis previous, Kpis.Change change, String interval,
		List<Point> series) implements Table.Exportable {

	/**
	 * @param from start
	 * @param to end (exclusive)
	 * @param revenue sum of purchase values
	 * @param orders purchase events
	 * @param averageOrderValue revenue / orders (0 without orders)
	 * @param activeProfiles profiles with any event in the range
	 * @param customers profiles with a purchase in the range
	 * @param newCustomers of those, first purchase ever in the range
	 * @param returningCustomers of those, purchased before the range too
	 * @param newProfiles profiles first seen in the range
	 * @param conversionRate customers / active profiles
	 */
	record Kpis(Instant from, Instant to, double revenue, long orders, double averageOrderValue, long activeProfiles,
			long customers, long newCustomers, long returningCustomers, long newProfiles, double conversionRate) {

		/** Relative changes, {@code (current - previous) / previous}. */
		record Change(Double revenue, Double orders, Double averageOrderValue, Double activeProfiles, Double customers,
				Double newCustomers, Double returningCustomers, Double newProfiles, Double conversionRate) {
		}

		Change changeFrom(Kpis before) {
			return new Change(relative(this.revenue, before.revenue), relative(this.orders, before.orders),
					relative(this.averageOrderValue, before.averageOrderValue),
					relative(this.activeProfiles, before.activeProfiles), relative(this.customers, before.customers),
					relative(this.newCustomers, before.newCustomers),
					relative(this.returningCustomers, before.returningCustomers),
					relative(this.newProfiles, before.newProfiles),
					relative(this.conversionRate, before.conversionRate));
		}

		private static Double relative(double now, double before) {
			return (before == 0) ? null : (now - before) / before;
		}

	}

	/**
	 * @param at the bucket's start
	 * @param revenue purchase values in it
	 * @param orders purchases in it
	 * @param activeProfiles profiles with an event in it
	 */
	record Point(Instant at, double revenue, long orders, long activeProfiles) {
	}

	@Override
	public Table table() {
		List<List<Object>> rows = new ArrayList<>();
		rows.add(row("current", this.current));
		rows.add(row("previous", this.previous));
		return new Table(List.of("period", "from", "to", "revenue", "orders", "average_order_value", "active_profiles",
				"customers", "new_customers", "returning_customers", "new_profiles", "conversion_rate"), rows);
	}

	private static List<Object> row(String name, Kpis kpis) {
		return List.of(name, kpis.from(), kpis.to(), kpis.revenue(), kpis.orders(), kpis.averageOrderValue(),
				kpis.activeProfiles(), kpis.customers(), kpis.newCustomers(), kpis.returningCustomers(),
				kpis.newProfiles(), kpis.conversionRate());
	}

}
