package io.lodestar.gateway.access;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users and their roles per workspace (tables {@code app_user}, {@code membership}).
 * Blocking JDBC: callers run it off the event loop.
 */
@Component
class Users {

	/** Compared against when the user does not exist, so both cases take as long. */
	private static final String NO_SUCH_USER_HASH = new BCryptPasswordEncoder(4).encode("no such user");

	private final JdbcClient jdbc;

	private final BCryptPasswordEncoder passwords;

	private final TransactionTemplate transactions;

	Users(JdbcClient jdbc, TransactionTemplate transactions, SecurityProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.passwords = new BCryptPasswordEncoder(properties.bcryptStrength());
	}

	/**
	 * @param username a login
	 * @param password its password
	 * @return the enabled user whose password this is
	 */
	Optional<UUID> authenticate(String username, String password) {
		Optional<Map<String, Object>> row = this.jdbc
			.sql("select id, password_hash from app_user where username = :username and disabled_at is null")
			.param("username", normalise(username))
			.query()
			.listOfRows()
			.stream()
			.findFirst();
		String hash = row.map((r) -> (String) r.get("password_hash")).orElse(NO_SUCH_USER_HASH);
		boolean matches = this.passwords.matches(password, hash);
		return (matches && row.isPresent()) ? Optional.of((UUID) row.get().get("id")) : Optional.empty();
	}

	boolean enabled(UUID userId) {
		return this.jdbc.sql("select count(*) from app_user where id = :id and disabled_at is null")
			.param("id", userId)
			.query(Long.class)
			.single() > 0;
	}

	Map<String, Role> roles(UUID userId) {
		Map<String, Role> roles = new LinkedHashMap<>();
		this.jdbc.sql("select workspace_id, role from membership where user_id = :id order by workspace_id")
			.param("id", userId)
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.forEach((entry) -> Role.fromWireName(entry.getValue()).ifPresent((r) -> roles.put(entry.getKey(), r)));
		return roles;
	}

	Optional<String> username(UUID userId) {
		return this.jdbc.sql("select username from app_user where id = :id")
			.param("id", userId)
			.query(String.class)
			.optional();
	}

	Optional<UUID> idOf(String username) {
		return this.jdbc.sql("select id from app_user where username = :username")
			.param("username", normalise(username))
			.query(UUID.class)
			.optional();
	}

	boolean any() {
		return this.jdbc.sql("select exists(select 1 from app_user)").query(Boolean.class).single();
	}

	/**
	 * Creates a user unless the name is taken.
	 * @return the new user's id, empty when the name is taken
	 */
	Optional<UUID> create(String username, String password) {
		UUID id = UUID.randomUUID();
		int created = this.jdbc
			.sql("insert into app_user (id, username, password_hash) values (:id, :username, :hash) "
					+ "on conflict (username) do nothing")
			.param("id", id)
			.param("username", normalise(username))
			.param("hash", this.passwords.encode(password))
			.update();
		return (created == 1) ? Optional.of(id) : Optional.empty();
	}

	boolean checkPassword(UUID userId, String password) {
		return this.jdbc.sql("select password_hash from app_user where id = :id")
			.param("id", userId)
			.query(String.class)
			.optional()
			.map((hash) -> this.passwords.matches(password, hash))
			.orElse(false);
	}

	void changePassword(UUID userId, String password) {
		this.jdbc.sql("update app_user set password_hash = :hash where id = :id")
			.param("id", userId)
			.param("hash", this.passwords.encode(password))
			.update();
	}

	/**
	 * Gives a user a role in a workspace, replacing the one held there.
	 */
	void grant(UUID userId, String workspace, Role role) {
		this.jdbc
			.sql("insert into membership (user_id, workspace_id, role) values (:user, :workspace, :role) "
					+ "on conflict (user_id, workspace_id) do update set role = excluded.role, granted_at = now()")
			.param("user", userId)
			.param("workspace", workspace)
			.param("role", role.wireName())
			.update();
	}

	/**
	 * @return whether the user had a role there
	 */
	boolean revoke(UUID userId, String workspace) {
		return this.jdbc.sql("delete from membership where user_id = :user and workspace_id = :workspace")
			.param("user", userId)
			.param("workspace", workspace)
			.update() == 1;
	}

	/**
	 * Changes a member's role; false when the user is no member of the workspace.
	 */
	boolean changeRole(UUID userId, String workspace, Role role) {
		return this.jdbc.sql(
				"update membership set role = :role, granted_at = now() where user_id = :user and workspace_id = :workspace")
			.param("user", userId)
			.param("workspace", workspace)
			.param("role", role.wireName())
			.update() == 1;
	}

	long admins(String workspace) {
		return this.jdbc.sql("select count(*) from membership where workspace_id = :workspace and role = 'admin'")
			.param("workspace", workspace)
			.query(Long.class)
			.single();
	}

	Optional<Role> roleIn(UUID userId, String workspace) {
		return this.jdbc.sql("select role from membership where user_id = :user and workspace_id = :workspace")
			.param("user", userId)
			.param("workspace", workspace)
			.query(String.class)
			.optional()
			.flatMap(Role::fromWireName);
	}

	List<Member> members(String workspace) {
		return this.jdbc
			.sql("select u.id, u.username, m.role, m.granted_at, u.disabled_at is null as enabled from membership m "
					+ "join app_user u on u.id = m.user_id where m.workspace_id = :workspace order by u.username")
			.param("workspace", workspace)
			.query((rs, n) -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
					instant(rs.getTimestamp(4)), rs.getBoolean(5)))
			.list();
	}

	/**
	 * Creates a user with a role in one workspace, in one transaction.
	 * @return the new user's id, empty when the name is taken
	 */
	Optional<UUID> createMember(String username, String password, String workspace, Role role) {
		return this.transactions.execute((status) -> {
			Optional<UUID> id = create(username, password);
			id.ifPresent((user) -> grant(user, workspace, role));
			return id;
		});
	}

	/**
	 * Makes the user admin of a workspace nobody is a member of yet; concurrent openings
	 * of the same id are serialised by a transaction-scoped advisory lock.
	 * @return false when the workspace has members already
	 */
	boolean openWorkspace(UUID userId, String workspace) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			this.jdbc.sql("select pg_advisory_xact_lock(hashtext('lodestar.workspace:' || :workspace))")
				.param("workspace", workspace)
				.query()
				.listOfRows();
			boolean taken = this.jdbc.sql("select exists(select 1 from membership where workspace_id = :workspace)")
				.param("workspace", workspace)
				.query(Boolean.class)
				.single();
			if (taken) {
				return false;
			}
			grant(userId, workspace, Role.ADMIN);
			return true;
		}));
	}

	static String normalise(String username) {
		return username.trim().toLowerCase(java.util.Locale.ROOT);
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A user's membership of a workspace.
	 */
	record Member(UUID userId, String username, String role, Instant grantedAt, boolean enabled) {
	}

}
