package io.lodestar.segment.segments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

import io.lodestar.segment.rule.Rule;
import io.lodestar.segment.rule.RuleCompiler;
import io.lodestar.segment.rule.RuleException;
import io.lodestar.segment.rule.RuleParser;
import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * Segment definitions, previews and recomputes. A recompute computes the rule's current
 * members into a temporary table and applies the set difference to the stored membership
 * in one transaction, writing every entry and exit to the outbox and the new size to the
 * history.
 */
@Service
class SegmentService {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final NamedParameterJdbcTemplate named;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final SegmentProperties properties;

	private final Clock clock = Clock.systemUTC();

	SegmentService(NamedParameterJdbcTemplate named, JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json,
			SegmentProperties properties) {
		this.named = named;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
		this.properties = properties;
	}

	SegmentViews.Preview preview(Workspace workspace, JsonNode rule) {
		long started = System.nanoTime();
		Compiled compiled = compile(workspace, rule, "/rule");
		// the rule is evaluated once: its members' ids are counted and the newest joined
		// back for the sample (one row with a null profile when nobody matches)
		long[] size = { 0 };
		List<SegmentViews.Member> sample = new java.util.ArrayList<>();
		this.transactions.executeWithoutResult((status) -> {
			queryWorkMem();
			this.named.query(
					"""
							with m as materialized (
							  select p.profile_id, p.last_seen_at from profile.profile p
							   where p.workspace_id = :workspace and (%s)),
							top as (select m.profile_id, m.last_seen_at from m order by m.last_seen_at desc, m.profile_id limit %d)
							select (select count(*) from m) as size, p.profile_id, p.user_id, p.traits::text as traits,
							       p.last_seen_at, null::timestamptz as entered_at
							  from (select 1) one
							  left join top t on true
							  left join profile.profile p on p.workspace_id = :workspace and p.profile_id = t.profile_id
							 order by t.last_seen_at desc nulls last, t.profile_id"""
						.formatted(compiled.sql(), this.properties.previewSample()),
					compiled.parameters(), (ResultSet row) -> {
						size[0] = row.getLong("size");
						if (row.getObject("profile_id") != null) {
							sample.add(member(row));
						}
					});
		});
		return new SegmentViews.Preview(size[0], sample, Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	SegmentViews.Segment create(Workspace workspace, SegmentViews.SegmentRequest request) {
		checkName(request);
		compile(workspace, request.rule(), "/rule");
		UUID id = UUID.randomUUID();
		return this.transactions.execute((status) -> {
			try {
				this.jdbc.sql("""
						insert into segment.segment (segment_id, workspace_id, name, description, rule, version)
						values (:id, :workspace, :name, :description, cast(:rule as jsonb), 1)""")
					.param("id", id)
					.param("workspace", workspace.id())
					.param("name", request.name())
					.param("description", request.description())
					.param("rule", this.json.writeValueAsString(request.rule()))
					.update();
			}
			catch (DuplicateKeyException ex) {
				throw nameTaken(request.name());
			}
			version(id, 1, request.rule());
			return find(workspace, id).orElseThrow();
		});
	}

	SegmentViews.Segment update(Workspace workspace, UUID id, SegmentViews.SegmentRequest request) {
		checkName(request);
		RuleParser parser = compileWith(workspace, request.rule(), "/rule");
		if (reaches(workspace, parser.references(), id)) {
			throw invalid("/rule", "the rule refers back to this segment (a cycle)");
		}
		return this.transactions.execute((status) -> {
			SegmentViews.Segment current = find(workspace, id).orElseThrow(() -> notFound(id));
			int version = current.version() + (current.rule().equals(request.rule()) ? 0 : 1);
			try {
				this.jdbc.sql("""
						update segment.segment set name = :name, description = :description,
						       rule = cast(:rule as jsonb), version = :version, updated_at = now()
						 where workspace_id = :workspace and segment_id = :id""")
					.param("id", id)
					.param("workspace", workspace.id())
					.param("name", request.name())
					.param("description", request.description())
					.param("rule", this.json.writeValueAsString(request.rule()))
					.param("version", version)
					.update();
			}
			catch (DuplicateKeyException ex) {
				throw nameTaken(request.name());
			}
			if (version != current.version()) {
				version(id, version, request.rule());
			}
			return find(workspace, id).orElseThrow();
		});
	}

	void delete(Workspace workspace, UUID id) {
		// the segments whose rule refers to this one, by the same walk the cycle check
		// uses
		List<String> dependents = list(workspace).stream()
			.filter((segment) -> !segment.segmentId().equals(id) && referencesIn(segment.rule()).contains(id))
			.map(SegmentViews.Segment::name)
			.toList();
		if (!dependents.isEmpty()) {
			throw new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "segment-in-use",
					"Segment in use", "segments refer to it: " + String.join(", ", dependents)), null);
		}
		int deleted = this.jdbc.sql("delete from segment.segment where workspace_id = :workspace and segment_id = :id")
			.param("workspace", workspace.id())
			.param("id", id)
			.update();
		if (deleted == 0) {
			throw notFound(id);
		}
	}

	Optional<SegmentViews.Segment> find(Workspace workspace, UUID id) {
		return this.jdbc.sql("select * from segment.segment where workspace_id = :workspace and segment_id = :id")
			.param("workspace", workspace.id())
			.param("id", id)
			.query((row, n) -> segment(row))
			.optional();
	}

	List<SegmentViews.Segment> list(Workspace workspace) {
		return this.jdbc.sql("select * from segment.segment where workspace_id = :workspace order by name")
			.param("workspace", workspace.id())
			.query((row, n) -> segment(row))
			.list();
	}

	/**
	 * Recomputes a segment's membership now.
	 */
	SegmentViews.Recomputed recompute(Workspace workspace, UUID id) {
		return this.transactions.execute((status) -> apply(workspace, lockedSegment(workspace, id), null));
	}

	/**
	 * Re-evaluates a segment for some profiles only (those that changed): they enter or
	 * exit; the others are untouched. The size is updated; the size history records full
	 * recomputes only.
	 */
	SegmentViews.Recomputed reevaluate(Workspace workspace, UUID id, List<UUID> profiles) {
		return this.transactions.execute((status) -> apply(workspace, lockedSegment(workspace, id), profiles));
	}

	private SegmentViews.Segment lockedSegment(Workspace workspace, UUID id) {
		return this.jdbc
			.sql("select * from segment.segment where workspace_id = :workspace and segment_id = :id for update")
			.param("workspace", workspace.id())
			.param("id", id)
			.query((row, n) -> segment(row))
			.optional()
			.orElseThrow(() -> notFound(id));
	}

	/**
	 * The rule's members (among {@code only}, or all) into a temporary table, then the
	 * set difference applied to the stored membership, every change to the outbox; in the
	 * caller's transaction, which holds the segment's row lock.
	 */
	private SegmentViews.Recomputed apply(Workspace workspace, SegmentViews.Segment segment, List<UUID> only) {
		long started = System.nanoTime();
		Instant now = this.clock.instant();
		UUID id = segment.segmentId();
		Compiled compiled = compile(workspace, segment.rule(), "/rule");
		MapSqlParameterSource parameters = compiled.parameters()
			.addValue("segment", id)
			.addValue("version", segment.version())
			.addValue("now", Timestamp.from(now))
			.addValue("only", only);
		String among = (only != null) ? " and p.profile_id in (:only)" : "";
		String amongMembers = (only != null) ? " and m.profile_id in (:only)" : "";
		queryWorkMem();
		this.named.getJdbcOperations()
			.execute("create temporary table if not exists candidate (profile_id uuid primary key) on commit drop");
		this.named.getJdbcOperations().execute("truncate candidate");
		this.named.update("insert into candidate select p.profile_id from profile.profile p"
				+ " where p.workspace_id = :workspace" + among + " and (" + compiled.sql() + ")", parameters);
		int entered = this.named.update("""
				with entered as (
				  insert into segment.membership (segment_id, profile_id, workspace_id, entered_at)
				  select :segment, c.profile_id, :workspace, :now from candidate c
				   where not exists (select 1 from segment.membership m
				                      where m.segment_id = :segment and m.profile_id = c.profile_id)
				  returning profile_id)
				insert into segment.membership_outbox (workspace_id, segment_id, profile_id, change, version, at)
				select :workspace, :segment, profile_id, 'entered', :version, :now from entered""", parameters);
		int exited = this.named.update("""
				with exited as (
				  delete from segment.membership m
				   where m.segment_id = :segment%s
				     and not exists (select 1 from candidate c where c.profile_id = m.profile_id)
				  returning profile_id)
				insert into segment.membership_outbox (workspace_id, segment_id, profile_id, change, version, at)
				select :workspace, :segment, profile_id, 'exited', :version, :now from exited"""
			.formatted(amongMembers), parameters);
		Long size = this.named.queryForObject("select count(*) from segment.membership where segment_id = :segment",
				parameters, Long.class);
		long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
		parameters.addValue("size", size).addValue("entered", entered).addValue("exited", exited);
		if (only == null) {
			this.named.update("update segment.segment set size = :size, computed_at = :now where segment_id = :segment",
					parameters);
			this.named.update(
					"""
							insert into segment.size_history (segment_id, computed_at, version, size, entered, exited, duration_ms)
							values (:segment, :now, :version, :size, :entered, :exited, :duration)""",
					parameters.addValue("duration", durationMs));
		}
		else if (entered + exited > 0) {
			this.named.update("update segment.segment set size = :size where segment_id = :segment", parameters);
		}
		return new SegmentViews.Recomputed(id, segment.version(), (size != null) ? size : 0, entered, exited,
				durationMs);
	}

	/**
	 * The configured {@code work_mem} for the rest of the caller's transaction (bound, as
	 * {@code set} takes no parameters).
	 */
	private void queryWorkMem() {
		this.jdbc.sql("select set_config('work_mem', :value, true)")
			.param("value", this.properties.queryWorkMem().toKilobytes() + "kB")
			.query(String.class)
			.single();
	}

	/**
	 * Every saved segment of every workspace, those referred to before those that refer
	 * to them.
	 */
	List<Map.Entry<String, UUID>> recomputeOrder() {
		List<Map<String, Object>> rows = this.jdbc
			.sql("select workspace_id, segment_id, rule::text as rule from segment.segment")
			.query()
			.listOfRows();
		Map<UUID, Set<UUID>> dependsOn = new java.util.HashMap<>();
		Map<UUID, String> workspaces = new java.util.LinkedHashMap<>();
		for (Map<String, Object> row : rows) {
			UUID id = (UUID) row.get("segment_id");
			workspaces.put(id, (String) row.get("workspace_id"));
			dependsOn.put(id, referencesIn(this.json.readTree((String) row.get("rule"))));
		}
		List<Map.Entry<String, UUID>> order = new java.util.ArrayList<>();
		Set<UUID> done = new HashSet<>();
		for (UUID id : workspaces.keySet()) {
			visit(id, dependsOn, done, new HashSet<>(), order, workspaces);
		}
		return order;
	}

	SegmentViews.MembersPage members(Workspace workspace, UUID id, int limit, String cursor) {
		find(workspace, id).orElseThrow(() -> notFound(id));
		UUID after = null;
		if (cursor != null && !cursor.isEmpty()) {
			try {
				after = UUID.fromString(cursor);
			}
			catch (IllegalArgumentException ex) {
				throw new BadRequestException("invalid-cursor", "Invalid cursor",
						"cursor must be the nextCursor of a previous page");
			}
		}
		MapSqlParameterSource parameters = new MapSqlParameterSource("segment", id)
			.addValue("workspace", workspace.id())
			.addValue("after", after)
			.addValue("limit", limit + 1);
		List<SegmentViews.Member> members = this.named.query("""
				select m.profile_id, p.user_id, p.traits::text as traits, p.last_seen_at, m.entered_at
				  from segment.membership m
				  left join profile.profile p on p.workspace_id = m.workspace_id and p.profile_id = m.profile_id
				 where m.segment_id = :segment and m.workspace_id = :workspace
				   and (cast(:after as uuid) is null or m.profile_id > cast(:after as uuid))
				 order by m.profile_id limit :limit""", parameters, (row, n) -> member(row));
		String next = null;
		if (members.size() > limit) {
			members = members.subList(0, limit);
			next = members.get(limit - 1).profileId().toString();
		}
		return new SegmentViews.MembersPage(members, next);
	}

	List<SegmentViews.SizePoint> history(Workspace workspace, UUID id, int limit) {
		find(workspace, id).orElseThrow(() -> notFound(id));
		return this.jdbc
			.sql("""
					select * from segment.size_history where segment_id = :segment order by computed_at desc limit :limit""")
			.param("segment", id)
			.param("limit", limit)
			.query((row, n) -> new SegmentViews.SizePoint(row.getTimestamp("computed_at").toInstant(),
					row.getInt("version"), row.getLong("size"), row.getLong("entered"), row.getLong("exited"),
					row.getLong("duration_ms")))
			.list();
	}

	Compiled compile(Workspace workspace, JsonNode rule, String pointer) {
		RuleParser parser = new RuleParser(this.clock, (segment) -> find(workspace, segment).isPresent());
		Rule parsed = parse(parser, rule, pointer);
		RuleCompiler compiler = new RuleCompiler(this.json, workspace.id());
		String sql = compiler.condition(parsed);
		return new Compiled(sql, compiler.parameters());
	}

	private RuleParser compileWith(Workspace workspace, JsonNode rule, String pointer) {
		RuleParser parser = new RuleParser(this.clock, (segment) -> find(workspace, segment).isPresent());
		parse(parser, rule, pointer);
		return parser;
	}

	private static Rule parse(RuleParser parser, JsonNode rule, String pointer) {
		if (rule == null || rule.isNull()) {
			throw invalid(pointer, "a rule is required");
		}
		try {
			return parser.parse(rule, pointer);
		}
		catch (RuleException ex) {
			BadRequestException problem = new BadRequestException("invalid-rule", "Invalid rule",
					ex.errors().size() + " problem(s) in the rule; the first at " + ex.errors().get(0).pointer() + ": "
							+ ex.errors().get(0).reason());
			problem.getBody()
				.setProperty("errors",
						ex.errors()
							.stream()
							.map((error) -> Map.of("pointer", error.pointer(), "reason", error.reason()))
							.toList());
			throw problem;
		}
	}

	/** Whether following segment references from these reaches the target (a cycle). */
	private boolean reaches(Workspace workspace, Set<UUID> start, UUID target) {
		Deque<UUID> pending = new ArrayDeque<>(start);
		Set<UUID> seen = new HashSet<>();
		while (!pending.isEmpty()) {
			UUID next = pending.pop();
			if (next.equals(target)) {
				return true;
			}
			if (seen.add(next)) {
				find(workspace, next).ifPresent((segment) -> pending.addAll(referencesIn(segment.rule())));
			}
		}
		return false;
	}

	static Set<UUID> referencesIn(JsonNode rule) {
		Set<UUID> references = new HashSet<>();
		Deque<JsonNode> pending = new ArrayDeque<>();
		pending.push(rule);
		while (!pending.isEmpty()) {
			JsonNode node = pending.pop();
			if (node.isObject() && "segment".equals(node.path("type").asString(""))) {
				try {
					references.add(UUID.fromString(node.path("segmentId").asString("")));
				}
				catch (IllegalArgumentException ex) {
					// not a valid reference: the parser reports it
				}
			}
			node.forEach(pending::push);
		}
		return references;
	}

	private void visit(UUID id, Map<UUID, Set<UUID>> dependsOn, Set<UUID> done, Set<UUID> visiting,
			List<Map.Entry<String, UUID>> order, Map<UUID, String> workspaces) {
		if (done.contains(id) || !visiting.add(id) || !workspaces.containsKey(id)) {
			return;
		}
		for (UUID dependency : dependsOn.getOrDefault(id, Set.of())) {
			visit(dependency, dependsOn, done, visiting, order, workspaces);
		}
		done.add(id);
		order.add(Map.entry(workspaces.get(id), id));
	}

	private void version(UUID id, int version, JsonNode rule) {
		this.jdbc
			.sql("""
					insert into segment.segment_version (segment_id, version, rule) values (:id, :version, cast(:rule as jsonb))""")
			.param("id", id)
			.param("version", version)
			.param("rule", this.json.writeValueAsString(rule))
			.update();
	}

	private SegmentViews.Segment segment(ResultSet row) throws SQLException {
		Timestamp computed = row.getTimestamp("computed_at");
		return new SegmentViews.Segment(row.getObject("segment_id", UUID.class), row.getString("name"),
				row.getString("description"), this.json.readTree(row.getString("rule")), row.getInt("version"),
				row.getLong("size"), (computed != null) ? computed.toInstant() : null,
				row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
	}

	private SegmentViews.Member member(ResultSet row) throws SQLException {
		String traits = row.getString("traits");
		Timestamp lastSeen = row.getTimestamp("last_seen_at");
		Timestamp entered = row.getTimestamp("entered_at");
		return new SegmentViews.Member(row.getObject("profile_id", UUID.class), row.getString("user_id"),
				(traits != null) ? this.json.readValue(traits, MAP) : null,
				(lastSeen != null) ? lastSeen.toInstant() : null, (entered != null) ? entered.toInstant() : null);
	}

	private static void checkName(SegmentViews.SegmentRequest request) {
		if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
			throw invalid("/name", "name is required, 1-200 characters");
		}
	}

	static BadRequestException invalid(String pointer, String reason) {
		BadRequestException problem = new BadRequestException("invalid-rule", "Invalid rule", reason);
		problem.getBody().setProperty("errors", List.of(Map.of("pointer", pointer, "reason", reason)));
		return problem;
	}

	private static ErrorResponseException nameTaken(String name) {
		return new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "segment-name-taken",
				"Name taken", "a segment of this workspace is already named '" + name + "'"), null);
	}

	static ErrorResponseException notFound(UUID id) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				Problems.of(HttpStatus.NOT_FOUND, "segment-not-found", "Segment not found", "segment " + id), null);
	}

	/** A compiled rule: its condition on {@code profile.profile p} and its parameters. */
	record Compiled(String sql, MapSqlParameterSource parameters) {
	}

}
