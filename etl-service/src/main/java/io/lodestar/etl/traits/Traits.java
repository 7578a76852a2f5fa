package io.lodestar.etl.traits;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A profile's traits beyond what identify sends: the per-trait merge strategies, and the
 * computed traits in {@code profile.profile_computed} and
 * {@code profile.profile_affinity} (profile-service V16), kept in the event's
 * transaction:
 * <ul>
 * <li>sessions: track, page and screen events more than the session timeout apart start a
 * new one — counted exactly whatever order events arrive in, from the event's neighbours
 * in the timeline;</li>
 * <li>orders, revenue (the first of the revenue properties that is a number), first and
 * last purchase, from the purchase events; average order value is derived;</li>
 * <li>favourite category and brand: the most units bought (then revenue, then the latest)
 * over the purchases' {@code products[]} lines ({@code category}, {@code brand},
 * {@code quantity} — 1 when absent —, {@code price});</li>
 * <li>acquisition: source, medium, campaign and {@link Channel channel} of the earliest
 * campaign touch.</li>
 * </ul>
 * A merge adds up orders and revenue and purchases per category and brand, keeps the
 * earlier acquisition and counts the sessions of the joined timeline again.
 */
public final class Traits implements Serializable {

	private static final Set<String> SESSION_TYPES = Set.of("track", "page", "screen");

	/** What a purchase can be worth here: numeric(18, 4) must hold the sums. */
	private static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);

	private final TraitStrategies strategies;

	private final Set<String> purchaseEvents;

	private final List<String> revenueProperties;

	private final String sessionTimeout;

	private final long sessionTimeoutSeconds;

	public Traits(TraitStrategies strategies, List<String> purchaseEvents, List<String> revenueProperties,
			Duration sessionTimeout) {
		this.strategies = strategies;
		this.purchaseEvents = Set.copyOf(purchaseEvents);
		this.revenueProperties = List.copyOf(revenueProperties);
		this.sessionTimeout = sessionTimeout.toSeconds() + " seconds";
		this.sessionTimeoutSeconds = sessionTimeout.toSeconds();
	}

	/**
	 * The defaults: no strategies, {@code Order Completed}, revenue/total/value, 30
	 * minutes.
	 * @return the traits
	 */
	public static Traits defaults() {
		return new Traits(TraitStrategies.parse(""), List.of("Order Completed"), List.of("revenue", "total", "value"),
				Duration.ofMinutes(30));
	}

	/**
	 * @return the track event names that are purchases
	 */
	public Set<String> purchaseEvents() {
		return this.purchaseEvents;
	}

	/**
	 * @return the inactivity that ends a session, in seconds
	 */
	public long sessionTimeoutSeconds() {
		return this.sessionTimeoutSeconds;
	}

	public TraitStrategies strategies() {
		return this.strategies;
	}

	/**
	 * Whether a track event is a purchase.
	 * @param type the event type
	 * @param name the track event name
	 * @return true for a configured purchase event
	 */
	public boolean purchase(String type, String name) {
		return "track".equals(type) && this.purchaseEvents.contains(name);
	}

	/**
	 * A purchase's value: the first revenue property that is a number (or a numeric
	 * string).
	 * @param properties the event's properties
	 * @return the value, zero when none (or an implausible one)
	 */
	public BigDecimal revenue(JsonNode properties) {
		return revenueOf(properties).value();
	}

	/**
	 * A purchase's value as {@link #revenue(JsonNode)} reads it, and why it is zero when
	 * a revenue property was sent but none could be used.
	 *
	 * @param value the value (zero when none)
	 * @param problem {@code revenue_not_a_number} or {@code revenue_implausible} (10^12
	 * and more) for the first revenue property sent, null when the value was read or no
	 * revenue property was sent
	 * @param sent the first revenue property's value as sent, when there is a problem
	 */
	public record Revenue(BigDecimal value, String problem, String sent) implements Serializable {
	}

	/**
	 * @param properties the purchase's properties, may be null
	 * @return its value, with the reason when one was sent but none could be used
	 */
	public Revenue revenueOf(JsonNode properties) {
		if (properties == null) {
			return new Revenue(BigDecimal.ZERO, null, null);
		}
		String problem = null;
		String sent = null;
		for (String property : this.revenueProperties) {
			JsonNode node = properties.get(property);
			BigDecimal value = number(node);
			if (value != null) {
				return new Revenue(value, null, null);
			}
			if (problem == null && node != null && !node.isNull()) {
				problem = implausible(node) ? "revenue_implausible" : "revenue_not_a_number";
				sent = node.isTextual() ? node.asText() : node.toString();
			}
		}
		return new Revenue(BigDecimal.ZERO, problem, sent);
	}

	/**
	 * One event as the computed traits see it.
	 *
	 * @param workspaceId the workspace
	 * @param profileId the profile it landed on
	 * @param type the event type
	 * @param name the track event name
	 * @param occurredAt when it happened
	 * @param properties its properties (parsed), may be null
	 * @param touch its campaign touch's source, medium, campaign and click id kind, or
	 * null
	 */
	public record Event(String workspaceId, UUID profileId, String type, String name, Instant occurredAt,
			JsonNode properties, String[] touch) {
	}

	/**
	 * Updates the computed traits for events of distinct profiles, before their timeline
	 * rows are written: one statement per kind of change for all of them (the events of
	 * one profile depend on each other through its timeline, so they come in separate
	 * calls, in order).
	 * @param connection the events' transaction
	 * @param events events, at most one per profile
	 * @throws SQLException on a database error
	 */
	public void apply(Connection connection, List<Event> events) throws SQLException {
		try (PreparedStatement upsert = connection.prepareStatement("""
				insert into profile.profile_computed as c
				    (workspace_id, profile_id, sessions, orders, revenue, first_purchase_at, last_purchase_at)
				select ?, ?,
				       case when not ? then 0
				            when x.prev is null and x.next is null then 1
				            when x.prev is null then (x.next - x.t > ?::interval)::int
				            when x.next is null then (x.t - x.prev > ?::interval)::int
				            else (x.t - x.prev > ?::interval)::int + (x.next - x.t > ?::interval)::int
				                 - (x.next - x.prev > ?::interval)::int end,
				       ?, ?, ?, ?
				  from (select ?::timestamptz as t,
				               (select max(e.occurred_at) from profile.profile_event e
				                 where e.workspace_id = ? and e.profile_id = ? and e.occurred_at <= ?
				                   and e.event_type in ('track', 'page', 'screen')) as prev,
				               (select min(e.occurred_at) from profile.profile_event e
				                 where e.workspace_id = ? and e.profile_id = ? and e.occurred_at > ?
				                   and e.event_type in ('track', 'page', 'screen')) as next) x
				on conflict (workspace_id, profile_id) do update
				   set sessions = c.sessions + excluded.sessions, orders = c.orders + excluded.orders,
				       revenue = c.revenue + excluded.revenue,
				       first_purchase_at = least(c.first_purchase_at, excluded.first_purchase_at),
				       last_purchase_at = greatest(c.last_purchase_at, excluded.last_purchase_at),
				       updated_at = now()""")) {
			int batched = 0;
			for (Event event : events) {
				boolean session = SESSION_TYPES.contains(event.type());
				boolean purchase = purchase(event.type(), event.name());
				if (!session && !purchase) {
					continue;
				}
				Timestamp at = Timestamp.from(event.occurredAt());
				int i = 1;
				upsert.setString(i++, event.workspaceId());
				upsert.setObject(i++, event.profileId());
				upsert.setBoolean(i++, session);
				for (int n = 0; n < 5; n++) {
					upsert.setString(i++, this.sessionTimeout);
				}
				upsert.setLong(i++, purchase ? 1 : 0);
				upsert.setBigDecimal(i++, purchase ? revenue(event.properties()) : BigDecimal.ZERO);
				upsert.setTimestamp(i++, purchase ? at : null);
				upsert.setTimestamp(i++, purchase ? at : null);
				upsert.setTimestamp(i++, at);
				for (int n = 0; n < 2; n++) {
					upsert.setString(i++, event.workspaceId());
					upsert.setObject(i++, event.profileId());
					upsert.setTimestamp(i++, at);
				}
				upsert.addBatch();
				batched++;
			}
			if (batched > 0) {
				upsert.executeBatch();
			}
		}
		for (Event event : events) {
			if (purchase(event.type(), event.name())) {
				affinities(connection, event.workspaceId(), event.profileId(), Timestamp.from(event.occurredAt()),
						event.properties());
			}
		}
		if (events.stream().noneMatch((event) -> event.touch() != null)) {
			return;
		}
		try (PreparedStatement acquisition = connection.prepareStatement("""
				insert into profile.profile_computed as c
				    (workspace_id, profile_id, acquisition_source, acquisition_medium, acquisition_campaign,
				     acquisition_channel, acquired_at)
				values (?, ?, ?, ?, ?, ?, ?)
				on conflict (workspace_id, profile_id) do update
				   set acquisition_source = excluded.acquisition_source,
				       acquisition_medium = excluded.acquisition_medium,
				       acquisition_campaign = excluded.acquisition_campaign,
				       acquisition_channel = excluded.acquisition_channel, acquired_at = excluded.acquired_at,
				       updated_at = now()
				 where c.acquired_at is null or excluded.acquired_at < c.acquired_at""")) {
			for (Event event : events) {
				String[] touch = event.touch();
				if (touch == null) {
					continue;
				}
				acquisition.setString(1, event.workspaceId());
				acquisition.setObject(2, event.profileId());
				acquisition.setString(3, touch[0]);
				acquisition.setString(4, touch[1]);
				acquisition.setString(5, touch[2]);
				acquisition.setString(6, Channel.of(touch[0], touch[1], touch[3]));
				acquisition.setTimestamp(7, Timestamp.from(event.occurredAt()));
				acquisition.addBatch();
			}
			acquisition.executeBatch();
		}
	}

	/**
	 * What a purchase's {@code products[]} lines add to its profile's affinities: per
	 * category and per brand the units (quantity, 1 when absent) and revenue (price ×
	 * quantity); lines with implausible amounts are left out.
	 * @param properties the purchase's properties, may be null
	 * @return {@code kind + '\u0000' + value} → {units, revenue}, in the lines' order
	 */
	public static Map<String, BigDecimal[]> productLines(JsonNode properties) {
		JsonNode products = (properties != null) ? properties.get("products") : null;
		Map<String, BigDecimal[]> lines = new LinkedHashMap<>();
		if (products == null || !products.isArray()) {
			return lines;
		}
		for (JsonNode product : products) {
			BigDecimal quantity = number(product.get("quantity"));
			quantity = (quantity != null && quantity.signum() > 0) ? quantity : BigDecimal.ONE;
			BigDecimal price = number(product.get("price"));
			BigDecimal revenue = (price != null) ? price.multiply(quantity) : BigDecimal.ZERO;
			if (revenue.abs().compareTo(LIMIT) >= 0 || quantity.compareTo(LIMIT) >= 0) {
				continue;
			}
			for (String kind : List.of("category", "brand")) {
				JsonNode value = product.get(kind);
				if (value != null && value.isTextual() && !value.asText().isBlank()) {
					String key = kind + '\u0000' + limit(value.asText().strip());
					BigDecimal[] sums = lines.computeIfAbsent(key,
							(k) -> new BigDecimal[] { BigDecimal.ZERO, BigDecimal.ZERO });
					sums[0] = sums[0].add(quantity);
					sums[1] = sums[1].add(revenue);
				}
			}
		}
		return lines;
	}

	private void affinities(Connection connection, String workspaceId, UUID profileId, Timestamp at,
			JsonNode properties) throws SQLException {
		Map<String, BigDecimal[]> lines = productLines(properties);
		if (lines.isEmpty()) {
			return;
		}
		List<String> keys = List.copyOf(lines.keySet());
		try (PreparedStatement upsert = connection.prepareStatement(
				"""
						insert into profile.profile_affinity as a (workspace_id, profile_id, kind, value, quantity, revenue, last_at)
						select ?, ?, u.kind, u.value, u.quantity, u.revenue, ?
						  from unnest(?::text[], ?::text[], ?::numeric[], ?::numeric[]) as u(kind, value, quantity, revenue)
						on conflict (workspace_id, profile_id, kind, value) do update
						   set quantity = a.quantity + excluded.quantity, revenue = a.revenue + excluded.revenue,
						       last_at = greatest(a.last_at, excluded.last_at)""")) {
			upsert.setString(1, workspaceId);
			upsert.setObject(2, profileId);
			upsert.setTimestamp(3, at);
			upsert.setArray(4, connection.createArrayOf("text",
					keys.stream().map((key) -> key.substring(0, key.indexOf('\u0000'))).toArray()));
			upsert.setArray(5, connection.createArrayOf("text",
					keys.stream().map((key) -> key.substring(key.indexOf('\u0000') + 1)).toArray()));
			upsert.setArray(6,
					connection.createArrayOf("numeric", keys.stream().map((key) -> lines.get(key)[0]).toArray()));
			upsert.setArray(7,
					connection.createArrayOf("numeric", keys.stream().map((key) -> lines.get(key)[1]).toArray()));
			upsert.executeUpdate();
		}
		try (PreparedStatement favourites = connection
			.prepareStatement(FAVOURITES + " where c.workspace_id = ? and c.profile_id = ?")) {
			favourites.setString(1, workspaceId);
			favourites.setObject(2, profileId);
			favourites.executeUpdate();
		}
	}

	private static final String FAVOURITES = """
			update profile.profile_computed c
			   set favourite_category = (select a.value from profile.profile_affinity a
			          where a.workspace_id = c.workspace_id and a.profile_id = c.profile_id and a.kind = 'category'
			          order by a.quantity desc, a.revenue desc, a.last_at desc, a.value limit 1),
			       favourite_brand = (select a.value from profile.profile_affinity a
			          where a.workspace_id = c.workspace_id and a.profile_id = c.profile_id and a.kind = 'brand'
			          order by a.quantity desc, a.revenue desc, a.last_at desc, a.value limit 1),
			       updated_at = now()""";

	/**
	 * The statement that chooses favourite category and brand again from
	 * {@code profile.profile_affinity}, for the rows of {@code profile_computed c} a
	 * {@code where} clause appended to it selects.
	 * @return the statement, without a where clause
	 */
	public static String favouritesStatement() {
		return FAVOURITES;
	}

	/**
	 * Statements of a merge, each with (into, workspace, merged), run after the timeline
	 * moved and before the merged profile is deleted.
	 * @return the statements
	 */
	public List<String> mergeStatements() {
		return List.of("""
				insert into profile.profile_computed as c
				    (workspace_id, profile_id, sessions, orders, revenue, first_purchase_at, last_purchase_at,
				     acquisition_source, acquisition_medium, acquisition_campaign, acquisition_channel, acquired_at)
				select workspace_id, ?, sessions, orders, revenue, first_purchase_at, last_purchase_at,
				       acquisition_source, acquisition_medium, acquisition_campaign, acquisition_channel, acquired_at
				  from profile.profile_computed where workspace_id = ? and profile_id = ?
				on conflict (workspace_id, profile_id) do update
				   set orders = c.orders + excluded.orders, revenue = c.revenue + excluded.revenue,
				       first_purchase_at = least(c.first_purchase_at, excluded.first_purchase_at),
				       last_purchase_at = greatest(c.last_purchase_at, excluded.last_purchase_at),
				       acquisition_source = case when c.acquired_at is null or excluded.acquired_at < c.acquired_at
				           then excluded.acquisition_source else c.acquisition_source end,
				       acquisition_medium = case when c.acquired_at is null or excluded.acquired_at < c.acquired_at
				           then excluded.acquisition_medium else c.acquisition_medium end,
				       acquisition_campaign = case when c.acquired_at is null or excluded.acquired_at < c.acquired_at
				           then excluded.acquisition_campaign else c.acquisition_campaign end,
				       acquisition_channel = case when c.acquired_at is null or excluded.acquired_at < c.acquired_at
				           then excluded.acquisition_channel else c.acquisition_channel end,
				       acquired_at = case when c.acquired_at is null or excluded.acquired_at < c.acquired_at
				           then excluded.acquired_at else c.acquired_at end,
				       updated_at = now()""",
				"""
						insert into profile.profile_affinity as a (workspace_id, profile_id, kind, value, quantity, revenue, last_at)
						select workspace_id, ?, kind, value, quantity, revenue, last_at
						  from profile.profile_affinity where workspace_id = ? and profile_id = ?
						on conflict (workspace_id, profile_id, kind, value) do update
						   set quantity = a.quantity + excluded.quantity, revenue = a.revenue + excluded.revenue,
						       last_at = greatest(a.last_at, excluded.last_at)""");
	}

	/**
	 * After a merge: the survivor's sessions counted again over its joined timeline, its
	 * favourites chosen again.
	 * @param connection the merge's transaction
	 * @param workspaceId the workspace
	 * @param survivor the surviving profile
	 * @throws SQLException on a database error
	 */
	public void afterMerge(Connection connection, String workspaceId, UUID survivor) throws SQLException {
		try (PreparedStatement sessions = connection.prepareStatement("""
				update profile.profile_computed c
				   set sessions = (select count(*) from (
				           select e.occurred_at - lag(e.occurred_at) over (order by e.occurred_at) as gap
				             from profile.profile_event e
				            where e.workspace_id = c.workspace_id and e.profile_id = c.profile_id
				              and e.event_type in ('track', 'page', 'screen')) g
				        where g.gap is null or g.gap > ?::interval)
				 where c.workspace_id = ? and c.profile_id = ?""")) {
			sessions.setString(1, this.sessionTimeout);
			sessions.setString(2, workspaceId);
			sessions.setObject(3, survivor);
			sessions.executeUpdate();
		}
		try (PreparedStatement favourites = connection
			.prepareStatement(FAVOURITES + " where c.workspace_id = ? and c.profile_id = ?")) {
			favourites.setString(1, workspaceId);
			favourites.setObject(2, survivor);
			favourites.executeUpdate();
		}
	}

	/**
	 * Whether a value is a number (or a numeric string) too large for a purchase (10^12
	 * and more in absolute value).
	 * @param value a JSON value, may be null
	 * @return true when it is a number that {@link #number(JsonNode)} refuses
	 */
	public static boolean implausible(JsonNode value) {
		if (value == null || !(value.isNumber() || value.isTextual())) {
			return false;
		}
		try {
			BigDecimal number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().strip());
			return number.abs().compareTo(LIMIT) >= 0;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/**
	 * A purchase amount or quantity: a JSON number or a numeric string, below 10^12 in
	 * absolute value — the one reading of amounts in computed traits and marts.
	 * @param value a JSON value, may be null
	 * @return the number, or null when it is absent, not a number or implausible
	 */
	public static BigDecimal number(JsonNode value) {
		if (value == null) {
			return null;
		}
		BigDecimal number = null;
		if (value.isNumber()) {
			number = value.decimalValue();
		}
		else if (value.isTextual()) {
			try {
				number = new BigDecimal(value.asText().strip());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return (number != null && number.abs().compareTo(LIMIT) < 0) ? number : null;
	}

	private static String limit(String value) {
		return (value.length() <= 255) ? value : value.substring(0, 255);
	}

}
