package io.lodestar.etl.streaming;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;

/**
 * Applies one Spark partition of parsed events to PostgreSQL, in chunks, each chunk one
 * transaction. Per event, in that same transaction: record its id in
 * {@code etl.processed_event} (a duplicate is skipped), resolve its profile, apply its
 * effect. A replay after a crash therefore neither loses nor double-counts. Unusable rows
 * go to {@code etl.rejected_event}.
 *
 * <p>
 * Identity rules (the spine; full identity resolution comes with the identity graph): a
 * userId's profile wins; an anonymousId seen before joins the userId's profile when its
 * own profile has no userId yet; a second distinct userId never takes over a known
 * person's profile; concurrent first sightings of an id are settled by the identity
 * table's key.
 */
final class ProfileWriter implements ForeachPartitionFunction<Row> {

	private static final Logger log = LoggerFactory.getLogger(ProfileWriter.class);

	private static final int MAX_ATTEMPTS = 5;

	private static final String USER_ID = "user_id";

	private static final String ANONYMOUS_ID = "anonymous_id";

	private final JdbcTarget target;

	private final int chunkSize;

	private final QuarantineRules quarantine;

	ProfileWriter(JdbcTarget target, int chunkSize, QuarantineRules quarantine) {
		this.target = target;
		this.chunkSize = chunkSize;
		this.quarantine = quarantine;
	}

	@Override
	public void call(Iterator<Row> rows) throws Exception {
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
				apply(connection, chunk);
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

	private void apply(Connection connection, List<Row> chunk) throws SQLException {
		QuarantineRules.RateWindow rates = this.quarantine.newRateWindow();
		java.util.Map<String, Boolean> hasErasures = new java.util.HashMap<>();
		for (Row row : chunk) {
			IncomingEvent.Parsed parsed = IncomingEvent.from(row);
			if (parsed.event() == null) {
				reject(connection, row, parsed);
				continue;
			}
			java.util.Optional<String> rule = this.quarantine.check(parsed.event(), rates);
			if (rule.isEmpty() && suppressed(connection, parsed.event(), hasErasures)) {
				rule = java.util.Optional.of("suppressed");
			}
			if (rule.isPresent()) {
				quarantine(connection, row, parsed.event(), rule.get());
			}
			else if (firstTime(connection, parsed.event())) {
				applyEvent(connection, parsed.event());
			}
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

	private static void reject(Connection connection, Row row, IncomingEvent.Parsed parsed) throws SQLException {
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
	private static boolean suppressed(Connection connection, IncomingEvent event, java.util.Map<String, Boolean> cache)
			throws SQLException {
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
		String[][] identifiers = { { IdentifierKind.USER_ID.code(), event.userId() },
				{ IdentifierKind.ANONYMOUS_ID.code(), event.anonymousId() },
				{ IdentifierKind.EMAIL_SHA256.code(), event.email() },
				{ IdentifierKind.PHONE_SHA256.code(), event.phone() },
				{ IdentifierKind.DEVICE_ID.code(), event.advertisingId() },
				{ IdentifierKind.DEVICE_ID.code(), event.deviceId() } };
		for (String[] identifier : identifiers) {
			if (identifier[1] != null) {
				IdentifierKind kind = IdentifierKind.ofCode(identifier[0]).orElseThrow();
				Identifiers.storedValue(kind, identifier[1])
					.ifPresent((stored) -> hashes.add(Identifiers.suppressionHash(kind, stored)));
			}
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

	private static boolean firstTime(Connection connection, IncomingEvent event) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(
				"insert into etl.processed_event (workspace_id, event_id) values (?, ?) on conflict do nothing")) {
			insert.setString(1, event.workspaceId());
			insert.setObject(2, event.eventId());
			return insert.executeUpdate() == 1;
		}
	}

	private static void applyEvent(Connection connection, IncomingEvent event) throws SQLException {
		UUID profileId = resolveProfile(connection, event);
		if ("alias".equals(event.type()) && event.previousId() != null) {
			attach(connection, event, ANONYMOUS_ID, event.previousId(), profileId);
		}
		// the profile row is locked from here on; if a concurrent merge removed it,
		// follow the merge
		while (!updateProfile(connection, event, profileId)) {
			profileId = mergedInto(connection, event.workspaceId(), profileId);
		}
		attachSecondaryIdentifiers(connection, event, profileId);
		try (PreparedStatement count = connection.prepareStatement("""
				insert into profile.profile_event_count
				    (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
				values (?, ?, ?, ?, 1, ?, ?)
				on conflict (workspace_id, profile_id, event_type, event_name) do update
				   set event_count = profile_event_count.event_count + 1,
				       first_at = least(profile_event_count.first_at, excluded.first_at),
				       last_at = greatest(profile_event_count.last_at, excluded.last_at)""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			count.setString(1, event.workspaceId());
			count.setObject(2, profileId);
			count.setString(3, event.type());
			count.setString(4, event.eventName());
			count.setTimestamp(5, at);
			count.setTimestamp(6, at);
			count.executeUpdate();
		}
		try (PreparedStatement timeline = connection.prepareStatement("""
				insert into profile.profile_event
				    (workspace_id, event_id, profile_id, event_type, event_name, occurred_at, properties)
				values (?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
			timeline.setString(1, event.workspaceId());
			timeline.setObject(2, event.eventId());
			timeline.setObject(3, profileId);
			timeline.setString(4, event.type());
			timeline.setString(5, event.eventName());
			timeline.setTimestamp(6, Timestamp.from(event.occurredAt()));
			timeline.setString(7, objectOrNull(event.propertiesJson()));
			timeline.executeUpdate();
		}
	}

	/**
	 * The event's email and phone (normalised and hashed) and device ids become
	 * identifiers of its profile, so the profile can be found by them. Junk values never
	 * identify anybody. An identifier that already belongs to another profile stays
	 * there: merging people on a shared email or device comes with the identity graph's
	 * rules, never implicitly.
	 */
	private static void attachSecondaryIdentifiers(Connection connection, IncomingEvent event, UUID profileId)
			throws SQLException {
		String[][] candidates = { { IdentifierKind.EMAIL_SHA256.code(), event.email() },
				{ IdentifierKind.PHONE_SHA256.code(), event.phone() },
				{ IdentifierKind.DEVICE_ID.code(), event.advertisingId() },
				{ IdentifierKind.DEVICE_ID.code(), event.deviceId() } };
		for (String[] candidate : candidates) {
			if (candidate[1] == null) {
				continue;
			}
			IdentifierKind kind = IdentifierKind.ofCode(candidate[0]).orElseThrow();
			java.util.Optional<String> stored = Identifiers.storedValue(kind, candidate[1]);
			if (stored.isPresent()) {
				UUID owner = attach(connection, event, kind.code(), stored.get(), profileId);
				if (!owner.equals(profileId)) {
					log.debug("Identifier of kind {} of profile {} already belongs to profile {}", kind.code(),
							profileId, owner);
				}
			}
		}
	}

	private static boolean updateProfile(Connection connection, IncomingEvent event, UUID profileId)
			throws SQLException {
		try (PreparedStatement update = connection.prepareStatement("""
				update profile.profile
				   set event_count = event_count + 1,
				       first_seen_at = least(first_seen_at, ?),
				       last_seen_at = greatest(last_seen_at, ?),
				       traits = case when ?::jsonb is null then traits else traits || ?::jsonb end,
				       updated_at = now()
				 where workspace_id = ? and profile_id = ?""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			String traits = objectOrNull(event.traitsJson());
			update.setTimestamp(1, at);
			update.setTimestamp(2, at);
			update.setString(3, traits);
			update.setString(4, traits);
			update.setString(5, event.workspaceId());
			update.setObject(6, profileId);
			return update.executeUpdate() == 1;
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
	 * Merges an anonymous profile into a person's: identities, event counts, first/last
	 * seen and traits (the person's win) move over, the merge is recorded, the anonymous
	 * profile goes. A profile that has a userId is never merged into another person's.
	 */
	private static void mergeAnonymous(Connection connection, String workspaceId, UUID anonymous, UUID into,
			String reason) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement(
				"select user_id from profile.profile where workspace_id = ? and profile_id = ? for update")) {
			lock.setString(1, workspaceId);
			lock.setObject(2, anonymous);
			try (ResultSet result = lock.executeQuery()) {
				if (!result.next() || result.getString(1) != null) {
					return;
				}
			}
		}
		for (String sql : MERGE_STATEMENTS) {
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				statement.setObject(1, into);
				statement.setString(2, workspaceId);
				statement.setObject(3, anonymous);
				statement.executeUpdate();
			}
		}
		try (PreparedStatement record = connection.prepareStatement("""
				insert into profile.profile_merge (workspace_id, merged_profile_id, into_profile_id, reason)
				values (?, ?, ?, ?)""")) {
			record.setString(1, workspaceId);
			record.setObject(2, anonymous);
			record.setObject(3, into);
			record.setString(4, reason);
			record.executeUpdate();
		}
		try (PreparedStatement delete = connection
			.prepareStatement("delete from profile.profile where workspace_id = ? and profile_id = ?")) {
			delete.setString(1, workspaceId);
			delete.setObject(2, anonymous);
			delete.executeUpdate();
		}
		log.info("Merged profile {} into {} in workspace {} ({})", anonymous, into, workspaceId, reason);
	}

	/** Each takes (into, workspace, merged). */
	private static final List<String> MERGE_STATEMENTS = List.of("""
			update profile.profile p
			   set event_count = p.event_count + m.event_count,
			       first_seen_at = least(p.first_seen_at, m.first_seen_at),
			       last_seen_at = greatest(p.last_seen_at, m.last_seen_at),
			       traits = m.traits || p.traits,
			       updated_at = now()
			  from profile.profile m
			 where p.profile_id = ? and p.workspace_id = m.workspace_id
			   and m.workspace_id = ? and m.profile_id = ?""", """
			insert into profile.profile_event_count
			    (workspace_id, profile_id, event_type, event_name, event_count, first_at, last_at)
			select workspace_id, ?, event_type, event_name, event_count, first_at, last_at
			  from profile.profile_event_count where workspace_id = ? and profile_id = ?
			on conflict (workspace_id, profile_id, event_type, event_name) do update
			   set event_count = profile_event_count.event_count + excluded.event_count,
			       first_at = least(profile_event_count.first_at, excluded.first_at),
			       last_at = greatest(profile_event_count.last_at, excluded.last_at)""",
			"update profile.profile_identity set profile_id = ? where workspace_id = ? and profile_id = ?",
			"update profile.profile_event set profile_id = ? where workspace_id = ? and profile_id = ?",
			"update profile.profile_merge set into_profile_id = ? where workspace_id = ? and into_profile_id = ?");

	/**
	 * Only a JSON object merges into traits; anything else (null, arrays, scalars) is
	 * ignored.
	 */
	private static String objectOrNull(String json) {
		return (json != null && json.trim().startsWith("{")) ? json : null;
	}

	private static UUID resolveProfile(Connection connection, IncomingEvent event) throws SQLException {
		Owner anonymous = (event.anonymousId() != null) ? owner(connection, event, ANONYMOUS_ID, event.anonymousId())
				: null;
		if (event.userId() == null) {
			if (anonymous != null) {
				touch(connection, event, ANONYMOUS_ID, event.anonymousId());
				return anonymous.profileId();
			}
			return claim(connection, event, ANONYMOUS_ID, event.anonymousId());
		}
		Owner known = owner(connection, event, USER_ID, event.userId());
		UUID profileId;
		if (known != null) {
			touch(connection, event, USER_ID, event.userId());
			profileId = known.profileId();
		}
		else if (anonymous != null && anonymous.userId() == null) {
			profileId = adopt(connection, event, anonymous.profileId());
		}
		else {
			profileId = claim(connection, event, USER_ID, event.userId());
		}
		if (event.anonymousId() != null) {
			// attach settles a concurrent first sighting: it returns whichever profile
			// holds the id
			UUID anonymousOwner = attach(connection, event, ANONYMOUS_ID, event.anonymousId(), profileId);
			if (!anonymousOwner.equals(profileId)) {
				mergeAnonymous(connection, event.workspaceId(), anonymousOwner, profileId, "anonymous_identified");
			}
		}
		return profileId;
	}

	/**
	 * A new profile for an id seen for the first time. If a concurrent transaction
	 * claimed the id first, the identity key makes this one wait and then return the
	 * winner.
	 */
	private static UUID claim(Connection connection, IncomingEvent event, String kind, String value)
			throws SQLException {
		UUID candidate = UUID.randomUUID();
		try (PreparedStatement insert = connection.prepareStatement("""
				insert into profile.profile (workspace_id, profile_id, first_seen_at, last_seen_at)
				values (?, ?, ?, ?)""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			insert.setString(1, event.workspaceId());
			insert.setObject(2, candidate);
			insert.setTimestamp(3, at);
			insert.setTimestamp(4, at);
			insert.executeUpdate();
		}
		UUID winner = attach(connection, event, kind, value, candidate);
		if (winner.equals(candidate) && USER_ID.equals(kind)) {
			setUserId(connection, event, candidate);
		}
		else if (!winner.equals(candidate)) {
			try (PreparedStatement delete = connection
				.prepareStatement("delete from profile.profile where workspace_id = ? and profile_id = ?")) {
				delete.setString(1, event.workspaceId());
				delete.setObject(2, candidate);
				delete.executeUpdate();
			}
		}
		return winner;
	}

	/** An anonymous profile becomes the known person's: it gets the userId. */
	private static UUID adopt(Connection connection, IncomingEvent event, UUID anonymousProfile) throws SQLException {
		UUID winner = attach(connection, event, USER_ID, event.userId(), anonymousProfile);
		if (winner.equals(anonymousProfile)) {
			setUserId(connection, event, anonymousProfile);
		}
		return winner;
	}

	private static void setUserId(Connection connection, IncomingEvent event, UUID profileId) throws SQLException {
		try (PreparedStatement update = connection
			.prepareStatement("update profile.profile set user_id = ? where workspace_id = ? and profile_id = ?")) {
			update.setString(1, event.userId());
			update.setString(2, event.workspaceId());
			update.setObject(3, profileId);
			update.executeUpdate();
		}
	}

	/**
	 * Maps an identifier to a profile unless it already maps to one.
	 * @return the profile the identifier maps to afterwards
	 */
	private static UUID attach(Connection connection, IncomingEvent event, String kind, String value, UUID profileId)
			throws SQLException {
		try (PreparedStatement upsert = connection.prepareStatement(
				"""
						insert into profile.profile_identity (workspace_id, kind, value, profile_id, first_seen_at, last_seen_at)
						values (?, ?, ?, ?, ?, ?)
						on conflict (workspace_id, kind, value) do update
						   set last_seen_at = greatest(profile_identity.last_seen_at, excluded.last_seen_at)
						returning profile_id""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			upsert.setString(1, event.workspaceId());
			upsert.setString(2, kind);
			upsert.setString(3, value);
			upsert.setObject(4, profileId);
			upsert.setTimestamp(5, at);
			upsert.setTimestamp(6, at);
			try (ResultSet result = upsert.executeQuery()) {
				result.next();
				return result.getObject(1, UUID.class);
			}
		}
	}

	private static void touch(Connection connection, IncomingEvent event, String kind, String value)
			throws SQLException {
		try (PreparedStatement update = connection.prepareStatement("""
				update profile.profile_identity
				   set last_seen_at = greatest(last_seen_at, ?), first_seen_at = least(first_seen_at, ?)
				 where workspace_id = ? and kind = ? and value = ?""")) {
			Timestamp at = Timestamp.from(event.occurredAt());
			update.setTimestamp(1, at);
			update.setTimestamp(2, at);
			update.setString(3, event.workspaceId());
			update.setString(4, kind);
			update.setString(5, value);
			update.executeUpdate();
		}
	}

	private static Owner owner(Connection connection, IncomingEvent event, String kind, String value)
			throws SQLException {
		try (PreparedStatement select = connection.prepareStatement("""
				select i.profile_id, p.user_id
				  from profile.profile_identity i
				  join profile.profile p on p.workspace_id = i.workspace_id and p.profile_id = i.profile_id
				 where i.workspace_id = ? and i.kind = ? and i.value = ?""")) {
			select.setString(1, event.workspaceId());
			select.setString(2, kind);
			select.setString(3, value);
			try (ResultSet result = select.executeQuery()) {
				return result.next() ? new Owner(result.getObject(1, UUID.class), result.getString(2)) : null;
			}
		}
	}

	private record Owner(UUID profileId, String userId) {
	}

}
