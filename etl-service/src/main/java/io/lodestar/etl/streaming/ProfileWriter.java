package io.lodestar.etl.streaming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.lodestar.contracts.event.Identity;
import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;
import io.lodestar.etl.campaign.CampaignTouch;
import io.lodestar.etl.identity.EventIdentifiers;
import io.lodestar.etl.identity.Identifier;
import io.lodestar.etl.identity.IdentityRules;
import io.lodestar.etl.identity.MergeReason;
import io.lodestar.etl.identity.ProfileMerges;
import io.lodestar.etl.traits.Traits;

/**
 * Applies one Spark partition of parsed events to PostgreSQL, in chunks, each chunk one
 * transaction. Per event, in that same transaction: record its id in
 * {@code etl.processed_event} (a duplicate is skipped), resolve its profile, apply its
 * effect. A replay after a crash therefore neither loses nor double-counts. Unusable rows
 * go to {@code etl.rejected_event}.
 *
 * <p>
 * Identity: the identity graph's rules ({@link IdentityRules}, ADR 0024) over every
 * identifier the event carries; concurrent first sightings of an id are settled by the
 * identity table's key.
 *
 * <p>
 * Lanes: the work waits on PostgreSQL round trips, not on the CPU, so a partition's
 * events may be applied by several writers at once, each on its own connection. An
 * event's lane follows its partition key (the user id when known, else the anonymous id,
 * as the collector keys it), so one key's events keep their order; events of one person
 * under different keys already meet from different partitions, which the identity locks
 * settle (ADR 0030).
 */
final class ProfileWriter implements ForeachPartitionFunction<Row> {

	private static final Logger log = LoggerFactory.getLogger(ProfileWriter.class);

	private static final int MAX_ATTEMPTS = 5;

	private final JdbcTarget target;

	private final int chunkSize;

	private final QuarantineRules quarantine;

	private final IdentityRules rules;

	private final Traits traits;

	private final int lanes;

	private final String batch;

	/**
	 * @param lanes writers per partition (1: the partition's task applies its events
	 * itself)
	 */
	ProfileWriter(JdbcTarget target, int chunkSize, QuarantineRules quarantine, IdentityRules rules, Traits traits,
			int lanes) {
		this(target, chunkSize, quarantine, rules, traits, lanes, null);
	}

	private ProfileWriter(JdbcTarget target, int chunkSize, QuarantineRules quarantine, IdentityRules rules,
			Traits traits, int lanes, String batch) {
		this.lanes = Math.max(1, lanes);
		this.target = target;
		this.chunkSize = chunkSize;
		this.quarantine = quarantine;
		this.rules = rules;
		this.traits = traits;
		this.batch = batch;
	}

	/**
	 * This writer for one micro-batch: the chunks it applies record the batch's key in
	 * {@code etl.applied_chunk}, which tells the lake which events this batch applied
	 * first ({@link LakeRows}).
	 * @param batch the micro-batch's key ({@link LakeRows#batchKey})
	 * @return a writer recording it
	 */
	ProfileWriter forBatch(String batch) {
		return new ProfileWriter(this.target, this.chunkSize, this.quarantine, this.rules, this.traits, this.lanes,
				batch);
	}

	@Override
	public void call(Iterator<Row> rows) throws Exception {
		if (this.lanes == 1) {
			write(rows);
			return;
		}
		List<List<Row>> split = new ArrayList<>(this.lanes);
		for (int i = 0; i < this.lanes; i++) {
			split.add(new ArrayList<>());
		}
		while (rows.hasNext()) {
			Row row = rows.next();
			split.get(lane(row, this.lanes)).add(row);
		}
		ExecutorService writers = Executors.newFixedThreadPool(this.lanes, (task) -> {
			Thread thread = new Thread(task, "profile-writer-lane");
			thread.setDaemon(true);
			return thread;
		});
		try {
			List<Future<Void>> running = new ArrayList<>();
			for (List<Row> lane : split) {
				if (!lane.isEmpty()) {
					running.add(writers.submit(() -> {
						write(lane.iterator());
						return null;
					}));
				}
			}
			// every lane runs to its end (each chunk commits on its own; a replay skips
			// what committed), then the first failure fails the task
			Exception failure = null;
			for (Future<Void> lane : running) {
				try {
					lane.get();
				}
				catch (ExecutionException ex) {
					if (failure == null) {
						failure = (ex.getCause() instanceof Exception cause) ? cause : ex;
					}
				}
			}
			if (failure != null) {
				throw failure;
			}
		}
		finally {
			writers.shutdownNow();
		}
	}

	/**
	 * The lane of a row: by the partition id the collector keys it by
	 * ({@link Identity#partitionId()}); rows without one (unparseable, connector records)
	 * in lane 0.
	 */
	static int lane(Row row, int lanes) {
		Row envelope = row.getAs("envelope");
		Row identity = (envelope != null) ? envelope.getAs("identity") : null;
		String key = (identity != null)
				? new Identity(identity.getAs("userId"), identity.getAs("anonymousId")).partitionId() : null;
		return (key == null) ? 0 : Math.floorMod(key.hashCode(), lanes);
	}

	private void write(Iterator<Row> rows) throws Exception {
		List<Row> chunk = new ArrayList<>(this.chunkSize);
		try (Connection connection = this.target.connect()) {
			while (rows.hasNext()) {
				chunk.add(rows.next());
				if (chunk.size() == this.chunkSize) {
					applyWithRetry(connection, chunk);
					chunk.clear();
				}
			}
			if (!chunk.isEmpty()) {
				applyWithRetry(connection, chunk);
			}
		}
	}

	private void applyWithRetry(Connection connection, List<Row> chunk) throws SQLException, InterruptedException {
		for (int attempt = 1;; attempt++) {
			try {
				// a retried chunk takes the identity lock before anything else: waiting
				// for it while holding row locks is what closed the cycle
				apply(connection, chunk, attempt > 1);
				connection.commit();
				return;
			}
			catch (SQLException ex) {
				connection.rollback();
				boolean transientConflict = "40P01".equals(ex.getSQLState()) || "40001".equals(ex.getSQLState());
				if (!transientConflict || attempt == MAX_ATTEMPTS) {
					throw ex;
				}
				log.info("Retrying a chunk of {} events after a {} (attempt {})", chunk.size(), ex.getSQLState(),
						attempt);
				Thread.sleep(50L * attempt);
			}
		}
	}

	private void apply(Connection connection, List<Row> chunk, boolean lockFirst) throws SQLException {
		UUID chunkId = UUID.randomUUID();
		int applied = 0;
		int nextIndex = 0;
		QuarantineRules.RateWindow rates = this.quarantine.newRateWindow();
		java.util.Map<String, Boolean> hasErasures = new java.util.HashMap<>();
		java.util.Set<String> serialised = new java.util.HashSet<>();
		List<Candidate> candidates = new ArrayList<>(chunk.size());
		for (Row row : chunk) {
			candidates.add(Candidate.of(row, this));
		}
		Decisions decisions = new Decisions(candidates);
		List<Pending> pending = new ArrayList<>();
		for (int n = 0; n < candidates.size(); n++) {
			Candidate candidate = candidates.get(n);
			Row row = candidate.row();
			IncomingEvent.Parsed parsed = candidate.parsed();
			if (parsed.event() == null) {
				reject(connection, row, parsed);
				continue;
			}
			List<Identifier> identifiers = candidate.identifiers();
			if (identifiers.isEmpty()) {
				reject(connection, row,
						IncomingEvent.Parsed.rejected(parsed.event().workspaceId(),
								"identity has no usable identifier: userId, anonymousId, email, phone, device and "
										+ "customer ids are absent or junk values (such as \"undefined\" or \"0\")"));
				continue;
			}
			java.util.Optional<String> rule = this.quarantine.check(parsed.event(), rates);
			if (rule.isEmpty() && suppressed(connection, parsed.event(), identifiers, hasErasures)) {
				rule = java.util.Optional.of("suppressed");
			}
			if (rule.isPresent()) {
				quarantine(connection, row, parsed.event(), rule.get());
				continue;
			}
			IncomingEvent event = parsed.event();
			Decision decision = decisions.of(connection, this.rules, n);
			if (!lockFirst && decision.changesTheGraph() != serialised.contains(event.workspaceId())) {
				applied += flush(connection, pending, chunkId);
				if (applied > 0) {
					// graph changes apply under the workspace's identity lock, the rest
					// without it: about to wait for the lock, the transaction first
					// commits what it applied (it waits holding no row lock); holding the
					// lock, it commits before going on without it (the others wait for
					// one run of changes, not for a whole chunk)
					recordChunk(connection, chunkId);
					connection.commit();
					serialised.clear();
					chunkId = UUID.randomUUID();
					applied = 0;
				}
			}
			if (!lockFirst && !decision.changesTheGraph() && !serialised.contains(event.workspaceId())) {
				// every identifier already on one profile: applied with the events
				// around it, set-wise
				pending.add(new Pending(event, candidate.context(), decision.resolution().profileId(),
						decision.resolution().touch(), nextIndex++));
				continue;
			}
			applied += flush(connection, pending, chunkId);
			if (firstTime(connection, event, chunkId, nextIndex++)) {
				UUID profileId = resolveProfile(connection, event, identifiers, serialised, lockFirst, decision);
				applyResolved(connection, List.of(new Pending(event, candidate.context(), profileId, List.of(), -1)));
				applied++;
			}
			decisions.invalidate();
		}
		applied += flush(connection, pending, chunkId);
		if (applied > 0) {
			recordChunk(connection, chunkId);
		}
	}

	/**
	 * A row of a chunk, parsed, with its identifiers in their stored form (junk removed).
	 */
	private record Candidate(Row row, IncomingEvent.Parsed parsed, JsonNode context, List<Identifier> identifiers) {

		static Candidate of(Row row, ProfileWriter writer) {
			IncomingEvent.Parsed parsed = IncomingEvent.from(row);
			if (parsed.event() == null) {
				return new Candidate(row, parsed, null, List.of());
			}
			JsonNode context = EventIdentifiers.tree(parsed.event().contextJson());
			return new Candidate(row, parsed, context, writer.identifiers(parsed.event(), context));
		}

	}

	/**
	 * An event whose profile is known, waiting to be applied with others.
	 *
	 * @param event the event
	 * @param context its parsed context
	 * @param profileId the profile it lands on
	 * @param touch identifiers the profile holds whose first and last sighting it moves
	 * @param index its place in the chunk ({@code etl.processed_event.chunk_index})
	 */
	private record Pending(IncomingEvent event, JsonNode context, UUID profileId, List<Identifier> touch, int index) {
	}

	/**
	 * The identity decisions of a chunk's events, read ahead for the events that follow
	 * in one query and read again after an event that may have changed the graph (the
	 * graph as this transaction sees it is what the decisions are taken on; other
	 * transactions' changes meanwhile are settled as for a single read: under the
	 * identity lock for a change, by following a merge otherwise). The look-ahead starts
	 * at one event after such a read and doubles each time it is used up without one, so
	 * a run of graph changes reads what a read per event would and a run of known
	 * profiles few times.
	 */
	private static final class Decisions {

		private static final int MAX_LOOK_AHEAD = 1024;

		private final List<Candidate> candidates;

		private IdentityState state;

		private String workspaceId;

		private int to;

		private int window = 1;

		Decisions(List<Candidate> candidates) {
			this.candidates = candidates;
		}

		Decision of(Connection connection, IdentityRules rules, int index) throws SQLException {
			Candidate candidate = this.candidates.get(index);
			String workspace = candidate.parsed().event().workspaceId();
			if (this.state == null || index >= this.to || !workspace.equals(this.workspaceId)) {
				if (this.state != null && index >= this.to) {
					this.window = Math.min(this.window * 2, MAX_LOOK_AHEAD);
				}
				this.to = Math.min(index + this.window, this.candidates.size());
				java.util.Set<Identifier> ahead = new java.util.LinkedHashSet<>();
				for (int n = index; n < this.to; n++) {
					Candidate next = this.candidates.get(n);
					if (next.parsed().event() != null && workspace.equals(next.parsed().event().workspaceId())) {
						ahead.addAll(next.identifiers());
					}
				}
				this.state = IdentityState.read(connection, rules, workspace, List.copyOf(ahead));
				this.workspaceId = workspace;
			}
			return Decision.of(rules, this.state.of(candidate.identifiers()), candidate.identifiers());
		}

		void invalidate() {
			this.state = null;
			this.window = 1;
		}

	}

	/**
	 * Applies waiting events set-wise, in their order: records their ids (duplicates are
	 * skipped), moves their identifiers' sightings, then applies them.
	 * @return how many were applied (not duplicates)
	 */
	private int flush(Connection connection, List<Pending> pending, UUID chunkId) throws SQLException {
		if (pending.isEmpty()) {
			return 0;
		}
		java.util.Set<Integer> first = new java.util.HashSet<>();
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into etl.processed_event (workspace_id, event_id, chunk_id, chunk_index)
				select u.workspace_id, u.event_id, ?, u.chunk_index
				  from unnest(?::text[], ?::uuid[], ?::int[]) as u(workspace_id, event_id, chunk_index)
				on conflict do nothing
				returning chunk_index""")) {
			insert.setObject(1, chunkId);
			insert.setArray(2, connection.createArrayOf("text",
					pending.stream().map((waiting) -> waiting.event().workspaceId()).toArray()));
			insert.setArray(3, connection.createArrayOf("uuid",
					pending.stream().map((waiting) -> waiting.event().eventId()).toArray()));
			insert.setArray(4, connection.createArrayOf("integer", pending.stream().map(Pending::index).toArray()));
			try (ResultSet result = insert.executeQuery()) {
				while (result.next()) {
					first.add(result.getInt(1));
				}
			}
		}
		List<Pending> fresh = pending.stream().filter((waiting) -> first.contains(waiting.index())).toList();
		pending.clear();
		touch(connection, fresh);
		applyResolved(connection, fresh);
		return fresh.size();
	}

	/**
	 * Records a chunk's place in the order events were applied in (the identity recompute
	 * replays it): taken last, just before the commit, so a chunk that waited for
	 * another's locks comes after it.
	 */
	private void recordChunk(Connection connection, UUID chunkId) throws SQLException {
		try (PreparedStatement order = connection
			.prepareStatement("insert into etl.applied_chunk (chunk_id, batch) values (?, ?)")) {
			order.setObject(1, chunkId);
			order.setString(2, this.batch);
			order.executeUpdate();
		}
	}

	/**
	 * An event's identity decision on the graph as read: the owners and profiles of its
	 * identifiers, what the rules decide, and whether that changes the graph (a new
	 * profile or identifier, a merge, a contest, an identifier left out by a limit).
	 */
	private record Decision(IdentityState state, IdentityRules.Resolution resolution, boolean changesTheGraph) {

		static Decision read(Connection connection, IdentityRules rules, String workspaceId,
				List<Identifier> identifiers) throws SQLException {
			return of(rules, IdentityState.read(connection, rules, workspaceId, identifiers), identifiers);
		}

		static Decision of(IdentityRules rules, IdentityState state, List<Identifier> identifiers) {
			IdentityRules.Resolution resolution = rules.decide(identifiers, state.owners(), state.profiles());
			return new Decision(state, resolution,
					resolution.profileId() == null || !resolution.merged().isEmpty() || !resolution.attach().isEmpty()
							|| !resolution.contested().isEmpty() || !resolution.dropped().isEmpty());
		}

	}

	private static void quarantine(Connection connection, Row row, IncomingEvent event, String rule)
			throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into etl.quarantined_event (topic, kafka_partition, kafka_offset, workspace_id, event_id, rule)
				values (?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
			insert.setString(1, row.getAs("topic"));
			insert.setInt(2, row.<Integer>getAs("partition"));
			insert.setLong(3, row.<Long>getAs("offset"));
			insert.setString(4, event.workspaceId());
			insert.setObject(5, event.eventId());
			insert.setString(6, rule);
			insert.executeUpdate();
		}
	}

	static void reject(Connection connection, Row row, IncomingEvent.Parsed parsed) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into etl.rejected_event (topic, kafka_partition, kafka_offset, workspace_id, reason, raw_value)
				values (?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
			insert.setString(1, row.getAs("topic"));
			insert.setInt(2, row.<Integer>getAs("partition"));
			insert.setLong(3, row.<Long>getAs("offset"));
			insert.setString(4, parsed.workspaceId());
			insert.setString(5, parsed.rejection());
			String raw = row.getAs("raw");
			insert.setString(6, (raw != null && raw.length() > 32_768) ? raw.substring(0, 32_768) : raw);
			insert.executeUpdate();
		}
		log.warn("Rejected {}@{}@{}: {}", row.<String>getAs("topic"), row.<Integer>getAs("partition"),
				row.<Long>getAs("offset"), parsed.rejection());
	}

	/**
	 * Whether the event carries an identifier of an erased person (profile-service's
	 * suppression list): an event accepted before the collector knew, or replayed, must
	 * not bring the person back. Kept in the quarantine with the rule, by event id only.
	 */
	private static boolean suppressed(Connection connection, IncomingEvent event, List<Identifier> identifiers,
			java.util.Map<String, Boolean> cache) throws SQLException {
		Boolean any = cache.get(event.workspaceId());
		if (any == null) {
			try (PreparedStatement exists = connection
				.prepareStatement("select exists (select 1 from profile.suppressed_identity where workspace_id = ?)")) {
				exists.setString(1, event.workspaceId());
				try (ResultSet result = exists.executeQuery()) {
					result.next();
					any = result.getBoolean(1);
				}
			}
			cache.put(event.workspaceId(), any);
		}
		if (!any) {
			return false;
		}
		List<String> hashes = new ArrayList<>();
		for (Identifier identifier : identifiers) {
			hashes.add(Identifiers.suppressionHash(identifier.kind(), identifier.value()));
		}
		if (hashes.isEmpty()) {
			return false;
		}
		try (PreparedStatement select = connection.prepareStatement(
				"select exists (select 1 from profile.suppressed_identity where workspace_id = ? and value_sha256 = any (?))")) {
			select.setString(1, event.workspaceId());
			select.setArray(2, connection.createArrayOf("text", hashes.toArray()));
			try (ResultSet result = select.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	private static boolean firstTime(Connection connection, IncomingEvent event, UUID chunkId, int index)
			throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into etl.processed_event (workspace_id, event_id, chunk_id, chunk_index) values (?, ?, ?, ?)
				on conflict do nothing""")) {
			insert.setString(1, event.workspaceId());
			insert.setObject(2, event.eventId());
			insert.setObject(3, chunkId);
			insert.setInt(4, index);
			return insert.executeUpdate() == 1;
		}
	}

	/**
	 * Applies events whose profiles are known, set-wise: in waves that hold at most one
	 * event per profile (a profile's events depend on each other through its timeline, so
	 * its second event comes in the next wave), each wave one statement per table.
	 */
	private void applyResolved(Connection connection, List<Pending> events) throws SQLException {
		List<List<Pending>> waves = new ArrayList<>();
		java.util.Map<UUID, Integer> seen = new java.util.HashMap<>();
		for (Pending event : events) {
			int wave = seen.merge(event.profileId(), 1, Integer::sum) - 1;
			if (wave == waves.size()) {
				waves.add(new ArrayList<>());
			}
			waves.get(wave).add(event);
		}
		for (List<Pending> wave : waves) {
			applyWave(connection, wave);
		}
	}

	private void applyWave(Connection connection, List<Pending> wave) throws SQLException {
		UUID[] profiles = new UUID[wave.size()];
		String update = """
				update profile.profile p
				   set event_count = p.event_count + 1,
				       first_seen_at = least(p.first_seen_at, ?),
				       last_seen_at = greatest(p.last_seen_at, ?),
				       traits = case when x.incoming is null then p.traits else %s end,
				       updated_at = now()
				  from (select ?::jsonb as incoming) x
				 where p.workspace_id = ? and p.profile_id = ?"""
			.formatted(this.traits.strategies().apply("p.traits", "x.incoming"));
		boolean followed = false;
		try (PreparedStatement statement = connection.prepareStatement(update)) {
			for (int i = 0; i < wave.size(); i++) {
				profiles[i] = wave.get(i).profileId();
				bindUpdate(statement, wave.get(i).event(), profiles[i]);
				statement.addBatch();
			}
			int[] updated = statement.executeBatch();
			for (int i = 0; i < wave.size(); i++) {
				// the profile row is locked from here on; if a concurrent merge removed
				// it, follow the merge
				while (updated[i] == 0) {
					followed = true;
					profiles[i] = mergedInto(connection, wave.get(i).event().workspaceId(), profiles[i]);
					bindUpdate(statement, wave.get(i).event(), profiles[i]);
					updated[i] = statement.executeUpdate();
				}
			}
		}
		if (followed && new java.util.HashSet<>(Arrays.asList(profiles)).size() < profiles.length) {
			// two of the wave's events now land on one profile: apply the chunk again
			throw new SQLException("events of one wave met on a profile merged meanwhile", "40001");
		}
		List<Traits.Event> computed = new ArrayList<>(wave.size());
		List<Optional<CampaignTouch>> touches = new ArrayList<>(wave.size());
		for (int i = 0; i < wave.size(); i++) {
			IncomingEvent event = wave.get(i).event();
			// a page event's properties carry its url and search; a purchase's its value
			JsonNode properties = ("page".equals(event.type()) || this.traits.purchase(event.type(), event.eventName()))
					? EventIdentifiers.tree(event.propertiesJson()) : null;
			Optional<CampaignTouch> touch = CampaignTouch.of(wave.get(i).context(), properties);
			touches.add(touch);
			computed.add(new Traits.Event(event.workspaceId(), profiles[i], event.type(), event.eventName(),
					event.occurredAt(), properties,
					touch.map((t) -> new String[] { t.source(), t.medium(), t.campaign(), t.clickIdKind() })
						.orElse(null)));
		}
		this.traits.apply(connection, computed);
		try (PreparedStatement count = connection.prepareStatement("""
				insert into profile.profile_event_count
				    (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
				values (?, ?, ?, ?, 1, ?, ?)
				on conflict (workspace_id, profile_id, event_type, event_name) do update
				   set event_count = profile_event_count.event_count + 1,
				       first_at = least(profile_event_count.first_at, excluded.first_at),
				       last_at = greatest(profile_event_count.last_at, excluded.last_at)""")) {
			for (int i = 0; i < wave.size(); i++) {
				IncomingEvent event = wave.get(i).event();
				Timestamp at = Timestamp.from(event.occurredAt());
				count.setString(1, event.workspaceId());
				count.setObject(2, profiles[i]);
				count.setString(3, event.type());
				count.setString(4, event.eventName());
				count.setTimestamp(5, at);
				count.setTimestamp(6, at);
				count.addBatch();
			}
			count.executeBatch();
		}
		try (PreparedStatement timeline = connection.prepareStatement("""
				insert into profile.profile_event
				    (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
				values (?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
			for (int i = 0; i < wave.size(); i++) {
				IncomingEvent event = wave.get(i).event();
				timeline.setString(1, event.workspaceId());
				timeline.setObject(2, event.eventId());
				timeline.setObject(3, profiles[i]);
				timeline.setString(4, event.type());
				timeline.setString(5, event.eventName());
				timeline.setTimestamp(6, Timestamp.from(event.occurredAt()));
				timeline.setString(7, objectOrNull(event.propertiesJson()));
				timeline.addBatch();
			}
			timeline.executeBatch();
		}
		for (int i = 0; i < wave.size(); i++) {
			if (touches.get(i).isPresent()) {
				IncomingEvent event = wave.get(i).event();
				touches.get(i)
					.get()
					.insert(connection, event.workspaceId(), event.eventId(), profiles[i], event.occurredAt());
			}
		}
	}

	private static void bindUpdate(PreparedStatement update, IncomingEvent event, UUID profileId) throws SQLException {
		Timestamp at = Timestamp.from(event.occurredAt());
		update.setTimestamp(1, at);
		update.setTimestamp(2, at);
		update.setString(3, objectOrNull(event.traitsJson()));
		update.setString(4, event.workspaceId());
		update.setObject(5, profileId);
	}

	/**
	 * The identifiers of an event, in their stored form, junk removed.
	 */
	private List<Identifier> identifiers(IncomingEvent event, JsonNode context) {
		return EventIdentifiers.of(this.rules, event.userId(), event.anonymousId(), event.previousId(),
				EventIdentifiers.tree(event.payloadTraitsJson()), context);
	}

	/**
	 * Resolves the event's profile through the identity graph
	 * ({@link IdentityRules#decide}): reads the profiles its identifiers belong to (one
	 * query), creates a profile when none fits, attaches the new identifiers, merges the
	 * profiles the rules join, and records contested values. A concurrent first sighting
	 * of one of its identifiers (another partition's transaction attached it first) makes
	 * it read and decide again.
	 * <p>
	 * A decision that changes the graph (a new profile or identifier, a merge, a contest,
	 * an identifier left out by a limit) is taken under the workspace's identity lock,
	 * after reading the state again; the lock is held until the transaction commits,
	 * which {@link #apply} does as soon as an event follows that changes nothing (and
	 * before taking the lock, so no transaction waits for it holding row locks): such
	 * runs of one workspace apply one after the other, each seeing every earlier one's
	 * effects, in the order {@code etl.applied_chunk} records — which is the order the
	 * identity recompute replays, so the recompute equals streaming. The common decision
	 * (every identifier already on one profile) takes no lock: other transactions can
	 * only merge that profile or share its identifiers, and the event lands on the same
	 * person either way. A chunk retried after a deadlock takes the lock at its
	 * workspace's first event and keeps it to its end.
	 */
	private UUID resolveProfile(Connection connection, IncomingEvent event, List<Identifier> identifiers,
			java.util.Set<String> serialised, boolean lockFirst, Decision first) throws SQLException {
		String workspaceId = event.workspaceId();
		for (int round = 0; round < 5; round++) {
			Decision decision = (round == 0) ? first : Decision.read(connection, this.rules, workspaceId, identifiers);
			IdentityState state = decision.state();
			IdentityRules.Resolution resolution = decision.resolution();
			if ((decision.changesTheGraph() || lockFirst) && serialised.add(workspaceId)) {
				try (PreparedStatement lock = connection
					.prepareStatement("select pg_advisory_xact_lock(hashtextextended('lodestar.identity:' || ?, 0))")) {
					lock.setString(1, workspaceId);
					lock.executeQuery().close();
				}
				// read again: chunks that held the lock before have committed
				continue;
			}
			UUID profileId = resolution.profileId();
			boolean created = profileId == null;
			if (created) {
				profileId = createProfile(connection, event);
			}
			List<Identifier> attached = attach(connection, event, resolution.attach(), profileId);
			if (attached.stream().anyMatch((identifier) -> identifier.kind() == IdentifierKind.USER_ID)) {
				setUserId(connection, workspaceId, event.userId(), profileId);
			}
			if (attached.size() < resolution.attach().size()) {
				// another transaction attached one of them first: decide again with it
				if (created && attached.isEmpty()) {
					deleteProfile(connection, workspaceId, profileId);
				}
				continue;
			}
			touch(connection, event, resolution.touch());
			for (UUID merged : resolution.merged()) {
				String reason = reason(resolution, state, merged);
				Optional<UUID> survivor = ProfileMerges.merge(connection, this.rules, this.traits, workspaceId, merged,
						profileId, reason);
				if (survivor.isPresent()) {
					profileId = survivor.get();
				}
			}
			for (IdentityRules.Contest contest : resolution.contested()) {
				contest(connection, event, contest, profileId);
			}
			return profileId;
		}
		throw new SQLException("the identifiers of event " + event.eventId() + " kept changing owner", "40001");
	}

	private static String reason(IdentityRules.Resolution resolution, IdentityState state, UUID merged) {
		for (Identifier identifier : resolution.touch()) {
			IdentityRules.Owner owner = state.owners().get(identifier);
			if (owner != null && owner.profileId().equals(merged)) {
				return MergeReason.of(identifier.kind());
			}
		}
		return MergeReason.of(IdentifierKind.ANONYMOUS_ID);
	}

	private static UUID createProfile(Connection connection, IncomingEvent event) throws SQLException {
		UUID profileId = UUID.randomUUID();
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at)
				values (?, ?, ?, ?)""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			insert.setString(1, event.workspaceId());
			insert.setObject(2, profileId);
			insert.setTimestamp(3, at);
			insert.setTimestamp(4, at);
			insert.executeUpdate();
		}
		return profileId;
	}

	private static void deleteProfile(Connection connection, String workspaceId, UUID profileId) throws SQLException {
		try (PreparedStatement delete = connection
			.prepareStatement("delete from profile.profile where workspace_id = ? and profile_id = ?")) {
			delete.setString(1, workspaceId);
			delete.setObject(2, profileId);
			delete.executeUpdate();
		}
	}

	private static void setUserId(Connection connection, String workspaceId, String userId, UUID profileId)
			throws SQLException {
		try (PreparedStatement update = connection.prepareStatement(
				"update profile.profile set user_id = ? where workspace_id = ? and profile_id = ? and user_id is null")) {
			update.setString(1, userId);
			update.setString(2, workspaceId);
			update.setObject(3, profileId);
			if (update.executeUpdate() != 1) {
				throw new SQLException("profile " + profileId + " got another user id meanwhile", "40001");
			}
		}
	}

	/**
	 * Attaches new identifiers to a profile, each unless another transaction attached it
	 * first (the identity table's key settles concurrent first sightings).
	 * @return the identifiers attached
	 */
	private static List<Identifier> attach(Connection connection, IncomingEvent event, List<Identifier> identifiers,
			UUID profileId) throws SQLException {
		if (identifiers.isEmpty()) {
			return List.of();
		}
		List<Identifier> attached = new ArrayList<>(identifiers.size());
		try (PreparedStatement insert = connection.prepareStatement(
				"""
						insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
						select ?, k.kind, k.value, ?, ?, ? from unnest(?::text[], ?::text[]) as k(kind, value)
						on conflict (workspace_id, kind, value) do nothing
						returning kind, value""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			insert.setString(1, event.workspaceId());
			insert.setObject(2, profileId);
			insert.setTimestamp(3, at);
			insert.setTimestamp(4, at);
			insert.setArray(5, connection.createArrayOf("text",
					identifiers.stream().map((identifier) -> identifier.kind().code()).toArray()));
			insert.setArray(6, connection.createArrayOf("text", identifiers.stream().map(Identifier::value).toArray()));
			try (ResultSet result = insert.executeQuery()) {
				while (result.next()) {
					attached.add(new Identifier(IdentifierKind.ofCode(result.getString(1)).orElseThrow(),
							result.getString(2)));
				}
			}
		}
		return attached;
	}

	/** First and last sighting of identifiers the profile already holds. */
	private static void touch(Connection connection, IncomingEvent event, List<Identifier> identifiers)
			throws SQLException {
		touch(connection, List.of(new Pending(event, null, null, identifiers, -1)));
	}

	/** First and last sightings of identifiers the events' profiles already hold. */
	private static void touch(Connection connection, List<Pending> events) throws SQLException {
		if (events.stream().allMatch((event) -> event.touch().isEmpty())) {
			return;
		}
		try (PreparedStatement update = connection.prepareStatement("""
				update profile.profile_identity
				   set last_seen_at = greatest(last_seen_at, ?), first_seen_at = least(first_seen_at, ?)
				 where workspace_id = ? and (kind, value) in (select * from unnest(?::text[], ?::text[]))
				   and (last_seen_at < ? or first_seen_at > ?)""")) {
			for (Pending event : events) {
				List<Identifier> identifiers = event.touch();
				if (identifiers.isEmpty()) {
					continue;
				}
				Timestamp at = Timestamp.from(event.event().occurredAt());
				update.setTimestamp(1, at);
				update.setTimestamp(2, at);
				update.setString(3, event.event().workspaceId());
				update.setArray(4, connection.createArrayOf("text",
						identifiers.stream().map((identifier) -> identifier.kind().code()).toArray()));
				update.setArray(5,
						connection.createArrayOf("text", identifiers.stream().map(Identifier::value).toArray()));
				update.setTimestamp(6, at);
				update.setTimestamp(7, at);
				update.addBatch();
			}
			update.executeBatch();
		}
	}

	/**
	 * Records that the event's profile carried a value another profile holds and could
	 * not take it; once enough profiles did, the value is shared.
	 */
	private void contest(Connection connection, IncomingEvent event, IdentityRules.Contest contest, UUID profileId)
			throws SQLException {
		Identifier identifier = contest.identifier();
		long contenders;
		try (PreparedStatement insert = connection.prepareStatement(
				"""
						with added as (
						    insert into profile.identity_contender (workspace_id, kind, value, profile_id, first_seen_at)
						    values (?, ?, ?, ?, ?) on conflict do nothing returning 1)
						select (select count(*) from added)
						     + (select count(*) from profile.identity_contender where workspace_id = ? and kind = ? and value = ?)""")) {
			insert.setString(1, event.workspaceId());
			insert.setString(2, identifier.kind().code());
			insert.setString(3, identifier.value());
			insert.setObject(4, profileId);
			insert.setTimestamp(5, Timestamp.from(event.occurredAt()));
			insert.setString(6, event.workspaceId());
			insert.setString(7, identifier.kind().code());
			insert.setString(8, identifier.value());
			try (ResultSet result = insert.executeQuery()) {
				result.next();
				contenders = result.getLong(1);
			}
		}
		if (this.rules.shared(identifier.kind(), contenders)) {
			try (PreparedStatement share = connection.prepareStatement("""
					update profile.profile_identity set shared_at = now()
					 where workspace_id = ? and kind = ? and value = ? and shared_at is null""")) {
				share.setString(1, event.workspaceId());
				share.setString(2, identifier.kind().code());
				share.setString(3, identifier.value());
				if (share.executeUpdate() == 1) {
					log.info(
							"A {} of profile {} in workspace {} is shared by {} other profiles: it resolves nothing now",
							identifier.kind().code(), contest.owner(), event.workspaceId(), contenders);
				}
			}
		}
	}

	private static UUID mergedInto(Connection connection, String workspaceId, UUID profileId) throws SQLException {
		try (PreparedStatement select = connection.prepareStatement(
				"select into_profile_id from profile.profile_merge where workspace_id = ? and merged_profile_id = ?")) {
			select.setString(1, workspaceId);
			select.setObject(2, profileId);
			try (ResultSet result = select.executeQuery()) {
				if (!result.next()) {
					throw new SQLException("profile " + profileId + " vanished without a merge record", "40001");
				}
				return result.getObject(1, UUID.class);
			}
		}
	}

	/**
	 * Only a JSON object merges into traits; anything else (null, arrays, scalars) is
	 * ignored.
	 */
	private static String objectOrNull(String json) {
		return (json != null && json.trim().startsWith("{")) ? json : null;
	}

}
