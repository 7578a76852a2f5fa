package io.lodestar.profile.ltv;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fits a workspace's LTV models from its purchase events and stores every customer's
 * predictions in one transaction (readers see the previous fit or the new one, never a
 * mix). One fit per workspace at a time, across instances (an advisory lock).
 */
@Service
public class LtvService {

	private static final Logger logger = LoggerFactory.getLogger(LtvService.class);

	static final int[] HORIZONS = { 30, 90, 365 };

	private final NamedParameterJdbcTemplate named;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final LtvProperties properties;

	LtvService(NamedParameterJdbcTemplate named, JdbcClient jdbc, TransactionTemplate transactions,
			LtvProperties properties) {
		this.named = named;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
	}

	/**
	 * Fits the workspace's models now.
	 * @param workspace the workspace
	 * @return the fit, or empty when the workspace has fewer customers than the minimum
	 */
	public Optional<LtvModelView> fit(String workspace) {
		return this.transactions.execute((status) -> {
			this.jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))")
				.param("key", "ltv:" + workspace)
				.query()
				.rowSet();
			long started = System.nanoTime();
			Instant until = observedUntil(workspace);
			if (until == null) {
				return Optional.<LtvModelView>empty();
			}
			Map<UUID, CustomerSummary> customers = summaries(workspace, until);
			if (customers.size() < this.properties.minimumCustomers()) {
				return Optional.<LtvModelView>empty();
			}
			List<CustomerSummary> summaries = new ArrayList<>(customers.values());
			BgNbd purchases = BgNbd.fit(summaries);
			GammaGamma spend = null;
			try {
				spend = GammaGamma.fit(summaries);
			}
			catch (IllegalArgumentException ex) {
				logger.info("Workspace {}: no spend model ({})", workspace, ex.getMessage());
			}
			int repeat = (int) summaries.stream().filter((c) -> c.x() > 0).count();
			UUID modelId = UUID.randomUUID();
			long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
			LtvModelView model = new LtvModelView(modelId, Instant.now(), until, summaries.size(), repeat, purchases,
					spend, purchases.logLikelihood(summaries), durationMs);
			store(workspace, model, customers);
			logger.info("Workspace {}: LTV model {} fitted on {} customers in {} ms", workspace, modelId,
					summaries.size(), durationMs);
			return Optional.of(model);
		});
	}

	public List<LtvModelView> history(String workspace, int limit) {
		return this.jdbc.sql("""
				select * from profile.ltv_model where workspace_id = :workspace
				 order by fitted_at desc limit :limit""")
			.param("workspace", workspace)
			.param("limit", limit)
			.query((row, n) -> new LtvModelView(row.getObject("model_id", UUID.class),
					row.getTimestamp("fitted_at").toInstant(), row.getTimestamp("observed_until").toInstant(),
					row.getInt("customers"), row.getInt("repeat_customers"),
					new BgNbd(row.getDouble("r"), row.getDouble("alpha"), row.getDouble("a"), row.getDouble("b")),
					(row.getObject("p") != null)
							? new GammaGamma(row.getDouble("p"), row.getDouble("q"), row.getDouble("gamma")) : null,
					row.getDouble("log_likelihood"), row.getLong("duration_ms")))
			.list();
	}

	/**
	 * The distribution of predicted 365-day spend in the latest fit: equal-width bins
	 * from 0 to the 99th percentile, the rest in the last bin.
	 */
	public Map<String, Object> distribution(String workspace, int bins) {
		Map<String, Object> summary = this.jdbc.sql("""
				select count(*) as customers, coalesce(sum(predicted_spend_365), 0) as total,
				       coalesce(avg(predicted_spend_365), 0) as mean,
				       coalesce(percentile_cont(0.5) within group (order by predicted_spend_365), 0) as median,
				       coalesce(percentile_cont(0.9) within group (order by predicted_spend_365), 0) as p90,
				       coalesce(percentile_cont(0.99) within group (order by predicted_spend_365), 0) as p99
				  from profile.profile_ltv where workspace_id = :workspace and predicted_spend_365 is not null""")
			.param("workspace", workspace)
			.query()
			.singleRow();
		double top = ((Number) summary.get("p99")).doubleValue();
		double width = (top > 0) ? top / bins : 1;
		List<Map<String, Object>> histogram = new ArrayList<>();
		long[] counts = new long[bins];
		this.jdbc.sql("""
				select least(floor(predicted_spend_365 / :width)::int, :last) as bin, count(*) as n
				  from profile.profile_ltv where workspace_id = :workspace and predicted_spend_365 is not null
				 group by 1""")
			.param("width", width)
			.param("last", bins - 1)
			.param("workspace", workspace)
			.query((row, n) -> counts[Math.max(0, row.getInt("bin"))] += row.getLong("n"))
			.list();
		for (int i = 0; i < bins; i++) {
			Map<String, Object> bin = new LinkedHashMap<>();
			bin.put("from", i * width);
			bin.put("to", (i == bins - 1) ? null : (i + 1) * width);
			bin.put("customers", counts[i]);
			histogram.add(bin);
		}
		Map<String, Object> answer = new LinkedHashMap<>(summary);
		answer.put("bins", histogram);
		return answer;
	}

	/** The end of observation: the day after the workspace's last purchase. */
	private Instant observedUntil(String workspace) {
		Timestamp last = this.named.queryForObject("""
				select date_trunc('day', max(occurred_at)) + interval '1 day' from profile.profile_event
				 where workspace_id = :workspace and event_type = 'track' and event_name in (:events)""",
				new MapSqlParameterSource("workspace", workspace).addValue("events", this.properties.purchaseEvents()),
				Timestamp.class);
		return (last != null) ? last.toInstant() : null;
	}

	/**
	 * Purchase days per profile (several purchases on one day are one transaction, as in
	 * the models' papers), their values summed.
	 */
	private Map<UUID, CustomerSummary> summaries(String workspace, Instant until) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("workspace", workspace)
			.addValue("events", this.properties.purchaseEvents())
			.addValue("until", Timestamp.from(until));
		List<String> values = new ArrayList<>();
		for (int i = 0; i < this.properties.revenueProperties().size(); i++) {
			values.add("profile.try_numeric(properties ->> :revenue" + i + ")");
			parameters.addValue("revenue" + i, this.properties.revenueProperties().get(i));
		}
		Map<UUID, CustomerSummary> customers = new LinkedHashMap<>();
		this.named.query("""
				with purchases as (
				  select profile_id, date_trunc('day', occurred_at) as day, sum(coalesce(%s)) as value
				    from profile.profile_event
				   where workspace_id = :workspace and event_type = 'track' and event_name in (:events)
				     and occurred_at < :until
				   group by profile_id, date_trunc('day', occurred_at)),
				ranked as (
				  select profile_id, day, value, row_number() over (partition by profile_id order by day) as n
				    from purchases)
				select profile_id, count(*) - 1 as x,
				       extract(epoch from max(day) - min(day)) / 86400.0 as tx,
				       extract(epoch from cast(:until as timestamptz) - min(day)) / 86400.0 as t,
				       coalesce(avg(value) filter (where n > 1), 0) as monetary
				  from ranked group by profile_id""".formatted(String.join(", ", values)), parameters, (row) -> {
			customers.put(row.getObject("profile_id", UUID.class), new CustomerSummary(row.getInt("x"),
					row.getDouble("tx"), row.getDouble("t"), Math.max(0, row.getDouble("monetary"))));
		});
		return customers;
	}

	private void store(String workspace, LtvModelView model, Map<UUID, CustomerSummary> customers) {
		BgNbd purchases = model.bgNbd();
		GammaGamma spend = model.gammaGamma();
		this.jdbc.sql("""
				insert into profile.ltv_model (model_id, workspace_id, fitted_at, observed_until, customers,
				    repeat_customers, r, alpha, a, b, p, q, gamma, log_likelihood, duration_ms)
				values (:id, :workspace, :fittedAt, :until, :customers, :repeat, :r, :alpha, :a, :b, :p, :q, :gamma,
				    :ll, :duration)""")
			.param("id", model.modelId())
			.param("workspace", workspace)
			.param("fittedAt", Timestamp.from(model.fittedAt()))
			.param("until", Timestamp.from(model.observedUntil()))
			.param("customers", model.customers())
			.param("repeat", model.repeatCustomers())
			.param("r", purchases.r())
			.param("alpha", purchases.alpha())
			.param("a", purchases.a())
			.param("b", purchases.b())
			.param("p", (spend != null) ? spend.p() : null)
			.param("q", (spend != null) ? spend.q() : null)
			.param("gamma", (spend != null) ? spend.gamma() : null)
			.param("ll", model.logLikelihood())
			.param("duration", model.durationMs())
			.update();
		this.jdbc.sql("delete from profile.profile_ltv where workspace_id = :workspace")
			.param("workspace", workspace)
			.update();
		List<MapSqlParameterSource> rows = new ArrayList<>(customers.size());
		customers.forEach((profileId, customer) -> {
			double[] expected = new double[HORIZONS.length];
			for (int i = 0; i < HORIZONS.length; i++) {
				expected[i] = purchases.expectedPurchases(HORIZONS[i], customer);
			}
			Double average = (spend != null) ? spend.expectedAverageSpend(customer) : null;
			rows.add(new MapSqlParameterSource("workspace", workspace).addValue("profile", profileId)
				.addValue("model", model.modelId())
				.addValue("purchases", customer.x() + 1)
				.addValue("alive", purchases.probabilityAlive(customer))
				.addValue("e30", expected[0])
				.addValue("e90", expected[1])
				.addValue("e365", expected[2])
				.addValue("average", average)
				.addValue("spend", (average != null) ? average * expected[2] : null));
		});
		// profiles erased or merged since the summaries were read no longer exist:
		// skipped by the join
		this.named.batchUpdate("""
				insert into profile.profile_ltv (workspace_id, profile_id, model_id, purchases, probability_alive,
				    expected_purchases_30, expected_purchases_90, expected_purchases_365, expected_average_spend,
				    predicted_spend_365)
				select :workspace, p.profile_id, :model, :purchases, :alive, :e30, :e90, :e365, :average, :spend
				  from profile.profile p where p.workspace_id = :workspace and p.profile_id = :profile""",
				rows.toArray(new MapSqlParameterSource[0]));
	}

}
