package io.lodestar.etl.streaming;

import org.flywaydb.core.Flyway;

import io.lodestar.testsupport.TestInfrastructure;

/**
 * The profile tables are profile-service's: its migrations define them, in etl-service's
 * tests as in production.
 */
public final class ProfileSchemaMigration {

	private ProfileSchemaMigration() {
	}

	public static void migrate(TestInfrastructure infra) {
		Flyway.configure()
			.dataSource(infra.jdbcUrl(), infra.username(), infra.password())
			.schemas("profile")
			.defaultSchema("profile")
			.createSchemas(true)
			.locations("filesystem:../profile-service/src/main/resources/db/migration")
			.load()
			.migrate();
	}

}
