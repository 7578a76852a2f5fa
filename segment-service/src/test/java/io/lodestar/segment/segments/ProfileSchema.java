package io.lodestar.segment.segments;

import org.flywaydb.core.Flyway;

import io.lodestar.testsupport.TestInfrastructure;

/**
 * The profile tables are profile-service's: its migrations define them, here as in
 * production.
 */
final class ProfileSchema {

	private static boolean migrated;

	private ProfileSchema() {
	}

	static synchronized void migrate() {
		if (migrated) {
			return;
		}
		TestInfrastructure infrastructure = TestInfrastructure.get();
		Flyway.configure()
			.dataSource(infrastructure.jdbcUrl(), infrastructure.username(), infrastructure.password())
			.schemas("profile")
			.defaultSchema("profile")
			.createSchemas(true)
			.locations("filesystem:../profile-service/src/main/resources/db/migration")
			.load()
			.migrate();
		migrated = true;
	}

}
