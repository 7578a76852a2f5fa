package io.lodestar.testsupport;

import org.flywaydb.core.Flyway;

/**
 * Applies another service's Flyway migrations to the test database, as that service does
 * in production: a service that reads or writes tables it does not own tests against its
 * owner's definitions (DESIGN.md: one owner per table). Needs Flyway on the test
 * classpath, which every service with a schema has.
 */
public final class OwnerSchema {

	private OwnerSchema() {
	}

	/**
	 * profile-service's schema {@code profile} (profiles, identities, timeline, consent,
	 * LTV, RFM, suppression list …), from its migrations folder; the working directory is
	 * the module's.
	 */
	public static void profile() {
		migrate("profile", "../profile-service/src/main/resources/db/migration");
	}

	/**
	 * @param schema the owner's schema
	 * @param folder the owner's migrations folder, relative to the module under test
	 */
	public static synchronized void migrate(String schema, String folder) {
		TestInfrastructure infrastructure = TestInfrastructure.get();
		Flyway.configure()
			.dataSource(infrastructure.jdbcUrl(), infrastructure.username(), infrastructure.password())
			.schemas(schema)
			.defaultSchema(schema)
			.createSchemas(true)
			.locations("filesystem:" + folder)
			.load()
			.migrate();
	}

}
