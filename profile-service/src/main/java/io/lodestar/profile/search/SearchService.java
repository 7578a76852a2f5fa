package io.lodestar.profile.search;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Csv;
import io.lodestar.web.Workspace;

/**
 * Runs searches on {@code profile.profile} with keyset paging on (sort column,
 * profile_id), and streams exports row by row from a server-side cursor.
 */
@Service
public class SearchService {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 200;

	static final int EXACT_COUNT_UP_TO = 10_000;

	private static final TypeReference<Map<String, Object>> TRAITS = new TypeReference<>() {
	};

	private final NamedParameterJdbcTemplate jdbc;

	private final JsonMapper json;

	SearchService(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * One page of profiles matching every filter, with the total.
	 * @param workspace the caller's workspace
	 * @param request filters, sort, limit and cursor
	 * @return the page
	 */
	@Transactional(readOnly = true)
	public SearchPage search(Workspace workspace, SearchRequest request) {
		Order order = Order.of(request.sort());
		int limit = limit(request.limit());
		SearchSql sql = new SearchSql(this.json, workspace).filters(request.filters());
		String where = sql.where();
		String page = where;
		if (request.cursor() != null && !request.cursor().isEmpty()) {
			Cursor cursor = Cursor.decode(request.cursor(), order);
			page = where + " and (" + order.column() + ", p.profile_id) " + (order.descending ? "<" : ">") + " ("
					+ sql.bind(order.parameter(cursor.value())) + ", " + sql.bind(cursor.profileId()) + ")";
		}
		String direction = order.descending ? " desc" : " asc";
		List<ProfileSummary> profiles = this.jdbc.query(
				"select p.profile_id, p.user_id, p.traits::text as traits, p.first_seen_at, p.last_seen_at, p.event_count"
						+ " from profile.profile p where " + page + " order by " + order.column() + direction
						+ ", p.profile_id" + direction + " limit " + (limit + 1),
				sql.parameters(), (row, n) -> summary(row));
		String next = null;
		if (profiles.size() > limit) {
			profiles = profiles.subList(0, limit);
			ProfileSummary last = profiles.get(limit - 1);
			next = new Cursor(order.field(), order.valueOf(last), last.profileId()).encode();
		}
		Long counted = this.jdbc.queryForObject("select count(*) from (select 1 from profile.profile p where " + where
				+ " limit " + (EXACT_COUNT_UP_TO + 1) + ") matching", sql.parameters(), Long.class);
		long total = (counted != null) ? counted : 0;
		boolean exact = total <= EXACT_COUNT_UP_TO;
		if (!exact) {
			total = Math.max(total, estimate(where, sql));
		}
		return new SearchPage(profiles, next, total, exact);
	}

	/**
	 * Compiles a search without running it.
	 * @param workspace the caller's workspace
	 * @param request the search
	 * @throws BadRequestException when a filter or the sort is invalid
	 */
	public void validate(Workspace workspace, SearchRequest request) {
		Order.of(request.sort());
		new SearchSql(this.json, workspace).filters(request.filters());
	}

	/**
	 * Streams every profile matching the filters as CSV (RFC 4180), in the search's
	 * order, from a server-side cursor: memory stays flat whatever the size.
	 * @param workspace the caller's workspace
	 * @param request filters and sort (limit and cursor are ignored)
	 * @param columns the columns, e.g. {@code profileId}, {@code userId},
	 * {@code traits.email}
	 * @param consentPurpose when not null, only profiles that granted this purpose
	 * @param out where the CSV goes
	 * @return the number of profiles written
	 */
	@Transactional(readOnly = true)
	public long export(Workspace workspace, SearchRequest request, List<ExportColumn> columns, String consentPurpose,
			OutputStream out) {
		Order order = Order.of(request.sort());
		SearchSql sql = new SearchSql(this.json, workspace).filters(request.filters());
		if (consentPurpose != null) {
			sql.requireConsent(consentPurpose);
		}
		String direction = order.descending ? " desc" : " asc";
		Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
		long[] rows = { 0 };
		try {
			writer.write(String.join(",", columns.stream().map((column) -> Csv.cell(column.name())).toList()));
			writer.write("\r\n");
			JdbcTemplate streaming = new JdbcTemplate(this.jdbc.getJdbcTemplate().getDataSource());
			streaming.setFetchSize(1000);
			new NamedParameterJdbcTemplate(streaming).query(
					"select p.profile_id, p.user_id, p.traits::text as traits, p.first_seen_at, p.last_seen_at, p.event_count"
							+ " from profile.profile p where " + sql.where() + " order by " + order.column() + direction
							+ ", p.profile_id" + direction,
					sql.parameters(), (ResultSet row) -> {
						ProfileSummary profile = summary(row);
						List<String> cells = columns.stream().map((column) -> Csv.cell(column.value(profile))).toList();
						try {
							writer.write(String.join(",", cells));
							writer.write("\r\n");
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
						rows[0]++;
					});
			writer.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return rows[0];
	}

	private long estimate(String where, SearchSql sql) {
		String plan = this.jdbc.queryForObject("explain (format json) select 1 from profile.profile p where " + where,
				sql.parameters(), String.class);
		JsonNode rows = this.json.readTree(plan).path(0).path("Plan").path("Plan Rows");
		return rows.asLong(0);
	}

	private ProfileSummary summary(ResultSet row) throws SQLException {
		String traits = row.getString("traits");
		return new ProfileSummary(row.getObject("profile_id", UUID.class), row.getString("user_id"),
				(traits != null) ? this.json.readValue(traits, TRAITS) : Map.of(),
				row.getTimestamp("first_seen_at").toInstant(), row.getTimestamp("last_seen_at").toInstant(),
				row.getLong("event_count"));
	}

	private static int limit(Integer limit) {
		if (limit == null) {
			return DEFAULT_LIMIT;
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			throw SearchSql.invalid("/limit", "limit must be 1-" + MAX_LIMIT);
		}
		return limit;
	}

	/** The sortable columns. */
	enum SortField {

		LAST_SEEN("lastSeenAt", "p.last_seen_at"), FIRST_SEEN("firstSeenAt", "p.first_seen_at"),
		EVENT_COUNT("eventCount", "p.event_count");

		final String field;

		final String column;

		SortField(String field, String column) {
			this.field = field;
			this.column = column;
		}

	}

	/** A sort column and direction. */
	record Order(SortField sort, boolean descending) {

		static Order of(SearchRequest.Sort sort) {
			String field = (sort != null && sort.field() != null) ? sort.field() : "lastSeenAt";
			String direction = (sort != null && sort.direction() != null) ? sort.direction().toLowerCase(Locale.ROOT)
					: "desc";
			if (!"asc".equals(direction) && !"desc".equals(direction)) {
				throw SearchSql.invalid("/sort/direction", "direction is asc or desc");
			}
			for (SortField candidate : SortField.values()) {
				if (candidate.field.equals(field)) {
					return new Order(candidate, "desc".equals(direction));
				}
			}
			throw SearchSql.invalid("/sort/field", "sort by lastSeenAt, firstSeenAt or eventCount");
		}

		String field() {
			return this.sort.field;
		}

		String column() {
			return this.sort.column;
		}

		String valueOf(ProfileSummary profile) {
			return switch (this.sort) {
				case LAST_SEEN -> instant(profile.lastSeenAt());
				case FIRST_SEEN -> instant(profile.firstSeenAt());
				case EVENT_COUNT -> Long.toString(profile.eventCount());
			};
		}

		Object parameter(String value) {
			return switch (this.sort) {
				case LAST_SEEN, FIRST_SEEN -> {
					String[] parts = value.split("\\.");
					yield Timestamp.from(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
				}
				case EVENT_COUNT -> new BigDecimal(value).longValueExact();
			};
		}

		private static String instant(Instant instant) {
			return instant.getEpochSecond() + "." + instant.getNano();
		}

	}

	/**
	 * Where the previous page ended: opaque to clients, bound to the sort it was made
	 * with.
	 */
	record Cursor(String field, String value, UUID profileId) {

		String encode() {
			String text = this.field + "/" + this.value + "/" + this.profileId;
			return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
		}

		static Cursor decode(String cursor, Order order) {
			try {
				String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("/");
				Cursor decoded = new Cursor(parts[0], parts[1], UUID.fromString(parts[2]));
				order.parameter(decoded.value());
				if (parts.length == 3 && order.field().equals(decoded.field())) {
					return decoded;
				}
			}
			catch (RuntimeException ex) {
				// answered below
			}
			throw new BadRequestException("invalid-cursor", "Invalid cursor",
					"cursor must be the nextCursor of a previous page of the same search and sort");
		}

	}

}
