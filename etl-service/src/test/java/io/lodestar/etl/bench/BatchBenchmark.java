package io.lodestar.etl.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.lodestar.etl.EtlApplication;
import io.lodestar.etl.lake.LakeTable;
import io.lodestar.etl.marts.Marts;
import io.lodestar.etl.traits.TraitsProperties;
import io.lodestar.testsupport.OwnerSchema;
import io.lodestar.testsupport.TestInfrastructure;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * The batch benchmark (issue 5): the service with its real PostgreSQL (test-support) and
 * Spark {@code local[*]}; N generated events (identifies, pages, tracks, purchases with
 * products, kiosk events, across N/50 people and 90 days) — or the Online Retail set —
 * written into the lake, then the {@code identity} recompute, the {@code profiles}
 * rebuild (the generated profiles get their counts, traits and computed traits) and the
 * {@code marts} job over every day, each triggered and awaited through the REST API as a
 * user would, and the sales mart by product computed by Spark and by DuckDB on the same
 * Parquet files. Not a test; run from {@code etl-service}:
 *
 * <pre>
 * java @src/main/resources/META-INF/jvm-options.txt -Xmx10g \
 *   -cp target/classes:target/test-classes:$(cat target/bench.classpath) \
 *   io.lodestar.etl.bench.BatchBenchmark generated 10000000
 * java … io.lodestar.etl.bench.BatchBenchmark retail ../data/sample/online_retail.csv.gz
 * </pre>
 */
public final class BatchBenchmark {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final LocalDate START = LocalDate.of(2026, 1, 1);

	private static final int DAYS = 90;

	private BatchBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "generated";
		TestInfrastructure infra = TestInfrastructure.get();
		OwnerSchema.profile();
		Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-");
		// system properties: they win over application.yml's environment placeholders
		Map.of("spring.datasource.url", infra.jdbcUrl(), "spring.datasource.username", infra.username(),
				"spring.datasource.password", infra.password(), "lodestar.etl.kafka-bootstrap",
				infra.bootstrapServers(), "lodestar.etl.streaming.enabled", "false",
				"lodestar.etl.scheduler.schedules-enabled", "false", "lodestar.etl.scheduler.tick", "1s",
				"lodestar.etl.data-dir", dataDir.toString(), "lodestar.etl.lake.warehouse",
				dataDir.resolve("warehouse").toString(), "server.port", "0")
			.forEach(System::setProperty);
		ConfigurableApplicationContext app = new SpringApplicationBuilder(EtlApplication.class).run();
		try {
			SparkSession spark = app.getBean(SparkSession.class);
			JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
			int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("cores", Runtime.getRuntime().availableProcessors());
			figures.put("loadBefore", load());
			String workspace;
			LocalDate from;
			LocalDate to;
			long started = System.nanoTime();
			if ("retail".equals(mode)) {
				workspace = "bench-retail";
				String file = (args.length > 1) ? args[1] : "../data/sample/online_retail.csv.gz";
				long events = retail(spark, jdbc, workspace, file);
				figures.put("events", events);
				from = LocalDate.of(2010, 12, 1);
				to = LocalDate.of(2011, 12, 9);
			}
			else {
				long n = (args.length > 1) ? Long.parseLong(args[1]) : 10_000_000L;
				workspace = "bench-" + n;
				generate(spark, jdbc, workspace, n);
				figures.put("events", n);
				from = START;
				to = START.plusDays(DAYS - 1);
			}
			figures.put("lakeWriteSeconds", seconds(started));
			figures.put("loadAfterLake", load());
			long identity = System.nanoTime();
			JsonNode identityRun = run(port, workspace, "identity", "{}");
			figures.put("identitySeconds", seconds(identity));
			figures.put("identity", identityRun.get("result"));
			figures.put("loadAfterIdentity", load());
			long profiles = System.nanoTime();
			JsonNode profilesRun = run(port, workspace, "profiles", "{}");
			figures.put("profilesSeconds", seconds(profiles));
			figures.put("profiles", profilesRun.get("result"));
			figures.put("loadAfterProfiles", load());
			long marts = System.nanoTime();
			JsonNode martsRun = run(port, workspace, "marts", "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
			figures.put("martsSeconds", seconds(marts));
			figures.put("marts", martsRun.get("result"));
			figures.put("identityProfilesMartsSeconds", seconds(identity));
			figures.put("loadAfterMarts", load());
			figures.putAll(salesAgainstDuckDb(spark, app.getBean(TraitsProperties.class), workspace,
					dataDir.resolve("warehouse")));
			figures.put("loadAtEnd", load());
			System.out.println("Batch benchmark " + mode + ": " + JSON.writeValueAsString(figures));
		}
		finally {
			app.close();
		}
		System.exit(0);
	}

	/**
	 * N events of N/50 people over 90 days, written to the lake in one append; the
	 * people's profiles in PostgreSQL. Four in five people are known (every event has
	 * their userId and one of their two devices' anonymousIds), the rest anonymous (one
	 * anonymousId).
	 */
	static void generate(SparkSession spark, JdbcTemplate jdbc, String workspace, long n) throws Exception {
		long people = Math.max(10, n / 50);
		spark.range(n).createOrReplaceTempView("bench_ids");
		Dataset<Row> events = spark
			.sql("""
					with base as (
					  select id, pmod(xxhash64(id, 1), %2$d) as person, pmod(xxhash64(id, 3), 100) as r,
					         pmod(xxhash64(id, 4), 100) as t,
					         timestamp_seconds(%3$d + pmod(xxhash64(id, 2), %4$d)) as at
					    from bench_ids),
					typed as (
					  select *, case when r < 5 then 'identify' when r < 40 then 'page' else 'track' end as type,
					         case when r < 40 then null when t < 45 then 'Product Viewed' when t < 65 then 'Product Added'
					              when t < 80 then 'Order Completed' when t < 88 then 'Promotion Viewed'
					              when t < 92 then 'Promotion Clicked' when t < 97 then 'Zone Dwell'
					              else 'Checkout Started' end as name
					    from base),
					lines as (
					  select *, transform(sequence(1, cast(1 + pmod(xxhash64(id, 6), 3) as int)), i -> named_struct(
					           'k', pmod(xxhash64(id, 10 + i), 5000), 'q', cast(1 + pmod(xxhash64(id, 20 + i), 3) as int))) as ks
					    from typed)
					select '%1$s' as workspace_id, uuid() as event_id,
					       regexp_replace(md5(concat('%1$s-', person)), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '$1-$2-$3-$4-$5')
					         as profile_id,
					       type, name, case when person %% 5 != 0 then concat('u', person) end as user_id,
					       concat('a', person, '-', case when person %% 5 != 0 then pmod(xxhash64(id, 5), 2) else 0 end)
					         as anonymous_id,
					       at as occurred_at, at as received_at, 'web' as source_id,
					       case when type = 'page' then concat('{"path":"/p/', pmod(xxhash64(id, 7), 5000), '"}')
					            when name = 'Order Completed' then to_json(named_struct(
					              'revenue', aggregate(ks, 0D, (acc, l) -> acc + (1.99D + (l.k %% 200)) * l.q),
					              'currency', 'EUR',
					              'products', transform(ks, l -> named_struct('product_id', concat('P', l.k),
					                  'name', concat('Product ', l.k), 'price', 1.99D + (l.k %% 200), 'quantity', l.q,
					                  'category', concat('cat', l.k %% 25), 'brand', concat('brand', l.k %% 60)))))
					            when name in ('Promotion Viewed', 'Promotion Clicked', 'Zone Dwell') then
					              concat('{"zone":"z', pmod(xxhash64(id, 8), 8), '","screen":"s', pmod(xxhash64(id, 9), 20),
					                     '","dwell_seconds":', pmod(xxhash64(id, 11), 300), '}')
					            when type = 'track' then concat('{"product_id":"P', pmod(xxhash64(id, 12), 5000), '"}')
					            else '{}' end as properties,
					       '{}' as context, case when type = 'identify' then '{"plan":"free"}' end as traits
					  from lines"""
				.formatted(workspace, people, START.toEpochDay() * 86400, DAYS * 86400L));
		events.writeTo(LakeTable.EVENTS).append();
		jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, user_id, first_seen_at, last_seen_at)
				select ?, md5(? || '-' || i)::uuid, case when i % 5 != 0 then 'u' || i end, now(), now()
				  from generate_series(0, ? - 1) i""", workspace, workspace, people);
	}

	/**
	 * The Online Retail invoices as Order Completed events (one per invoice, its lines as
	 * products[]; cancellations and adjustments as sent — the marts reject what they
	 * cannot use), of the customers with an id (guest checkouts identify nobody and never
	 * reach the lake).
	 * @return the events written
	 */
	static long retail(SparkSession spark, JdbcTemplate jdbc, String workspace, String file) throws Exception {
		spark.read()
			.option("header", "true")
			.csv(Path.of(file).toAbsolutePath().toString())
			.where(col("customer_id").isNotNull())
			.createOrReplaceTempView("bench_retail");
		Dataset<Row> events = spark
			.sql("""
					select '%1$s' as workspace_id,
					       regexp_replace(md5(concat('%1$s-invoice-', invoice_no)), '^(.{8})(.{4})(.{4})(.{4})(.{12})$',
					         '$1-$2-$3-$4-$5') as event_id,
					       regexp_replace(md5(concat('%1$s-', customer_id)), '^(.{8})(.{4})(.{4})(.{4})(.{12})$',
					         '$1-$2-$3-$4-$5') as profile_id,
					       'track' as type, 'Order Completed' as name, concat('c', customer_id) as user_id,
					       cast(null as string) as anonymous_id, at as occurred_at, at as received_at, 'retail' as source_id,
					       to_json(named_struct('order_id', invoice_no, 'currency', 'GBP',
					         'revenue', round(aggregate(lines, 0D, (acc, l) -> acc + l.price * l.quantity), 2),
					         'products', lines)) as properties,
					       '{}' as context, cast(null as string) as traits
					  from (select invoice_no, customer_id, min(to_timestamp(invoice_date)) as at,
					               collect_list(named_struct('product_id', stock_code, 'name', description,
					                 'price', cast(unit_price as double), 'quantity', cast(quantity as int))) as lines
					          from bench_retail group by invoice_no, customer_id)"""
				.formatted(workspace));
		events.writeTo(LakeTable.EVENTS).append();
		jdbc.update("""
				insert into profile.profile (workspace_id, profile_id, user_id, first_seen_at, last_seen_at)
				select distinct ?, md5(? || '-' || c)::uuid, 'c' || c, now(), now()
				  from unnest(?::text[]) c""", workspace, workspace,
				spark.sql("select distinct customer_id from bench_retail")
					.collectAsList()
					.stream()
					.map((row) -> row.getString(0))
					.toArray(String[]::new));
		return spark.table(LakeTable.EVENTS).where(col("workspace_id").equalTo(workspace)).count();
	}

	/**
	 * The sales mart by day and product, once by Spark (the job's own transformation) and
	 * once by DuckDB on the lake's Parquet data files (no deletes in a benchmark lake),
	 * with the same line rules; both results materialised.
	 */
	static Map<String, Object> salesAgainstDuckDb(SparkSession spark, TraitsProperties traits, String workspace,
			Path warehouse) throws Exception {
		Map<String, Object> figures = new LinkedHashMap<>();
		Dataset<Row> lake = spark.table(LakeTable.EVENTS).where(col("workspace_id").equalTo(workspace));
		long sparkStarted = System.nanoTime();
		Dataset<Row> sales = Marts.sales(Marts.purchases(lake, traits.traits()), "product").persist();
		Row sparkTotals = sales.agg(expr("count(*)"), expr("sum(orders)"), expr("sum(revenue)")).first();
		figures.put("salesSparkSeconds", seconds(sparkStarted));
		sales.unpersist();
		figures.put("salesSparkRows", sparkTotals.getLong(0));
		figures.put("salesSparkOrders", sparkTotals.getLong(1));
		figures.put("salesSparkRevenue", sparkTotals.get(2).toString());
		String files = warehouse.resolve("cdp/events/data").toString() + "/**/*.parquet";
		try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
				Statement statement = duck.createStatement()) {
			statement.execute("set threads = " + Runtime.getRuntime().availableProcessors());
			long duckStarted = System.nanoTime();
			statement.execute(
					"""
							create temp table sales as
							with purchases as (
							  select event_id, profile_id, cast(occurred_at at time zone 'UTC' as date) as day, properties
							    from read_parquet('%1$s', hive_partitioning = false)
							   where workspace_id = '%2$s' and type = 'track' and name = 'Order Completed'),
							lines as (
							  select event_id, profile_id, day, unnest(from_json(json_extract(properties, '$.products'), '["json"]'))
							         as line
							    from purchases where json_type(properties, '$.products') = 'ARRAY'),
							read as (
							  select event_id, profile_id, day,
							         coalesce(line ->> 'product_id', line ->> 'sku', line ->> 'id') as product_id,
							         line ->> 'name' as name,
							         try_cast(line ->> 'price' as decimal(24, 4)) as price,
							         case when line ->> 'quantity' is null then 1
							              else try_cast(line ->> 'quantity' as decimal(24, 4)) end as quantity
							    from lines)
							select day, product_id, max(name) as name, count(distinct event_id) as orders,
							       sum(quantity) as units, sum(price * quantity) as revenue,
							       count(distinct profile_id) as customers
							  from read
							 where product_id is not null and price is not null and quantity > 0
							 group by day, product_id"""
						.formatted(files, workspace));
			figures.put("salesDuckDbSeconds", seconds(duckStarted));
			try (ResultSet totals = statement
				.executeQuery("select count(*), sum(orders), sum(revenue)::varchar from sales")) {
				totals.next();
				figures.put("salesDuckDbRows", totals.getLong(1));
				figures.put("salesDuckDbOrders", totals.getLong(2));
				figures.put("salesDuckDbRevenue", totals.getString(3));
			}
		}
		figures.put("sparkOverDuckDb", (double) figures.get("salesSparkSeconds")
				/ Math.max(0.001, (double) figures.get("salesDuckDbSeconds")));
		return figures;
	}

	private static JsonNode run(int port, String workspace, String job, String body) throws Exception {
		HttpResponse<String> accepted = HTTP
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/jobs/" + job + "/runs"))
				.header("X-Lodestar-Workspace", workspace)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (accepted.statusCode() != 202) {
			throw new IllegalStateException(job + ": " + accepted.statusCode() + " " + accepted.body());
		}
		String runId = JSON.readTree(accepted.body()).get("runId").asString();
		while (true) {
			Thread.sleep(500);
			JsonNode run = JSON.readTree(
					HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/jobs/runs/" + runId))
						.header("X-Lodestar-Workspace", workspace)
						.build(), HttpResponse.BodyHandlers.ofString()).body());
			String status = run.path("status").asString("");
			if ("succeeded".equals(status)) {
				return run;
			}
			if ("failed".equals(status)) {
				throw new IllegalStateException(job + " failed: " + run);
			}
		}
	}

	private static double seconds(long startedNanos) {
		return Math.round(Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() / 100.0) / 10.0;
	}

	private static String load() throws Exception {
		return Files.readString(Path.of("/proc/loadavg")).strip();
	}

}
