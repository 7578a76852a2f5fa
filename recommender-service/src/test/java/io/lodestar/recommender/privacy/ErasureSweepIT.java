package io.lodestar.recommender.privacy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.lodestar.recommender.Fixture;
import io.lodestar.recommender.RecommenderIntegrationTest;
import io.lodestar.recommender.feedback.RecommendationLog;
import io.lodestar.recommender.model.ModelRegistry;
import io.lodestar.web.Workspace;

import static io.lodestar.recommender.Fixture.f;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An erased person leaves no row in this schema: once profile-service has deleted the
 * profile (and its merge history), the sweep removes the answers logged for it and its
 * factors in every version, and the model in memory forgets it.
 */
class ErasureSweepIT extends RecommenderIntegrationTest {

	@Autowired
	ErasureSweep sweep;

	@Autowired
	ModelRegistry registry;

	@Autowired
	RecommendationLog log;

	@Test
	void rowsOfErasedProfilesLeaveTheSchemaAndTheModelInMemory() throws Exception {
		Fixture data = new Fixture(this.jdbc);
		UUID old = data.candidate(0.1, Instant.now().minusSeconds(7200));
		UUID current = data.candidate(0.2, Instant.now().minusSeconds(3600));
		UUID erased = data.profile("gone");
		UUID mergedIntoErased = data.mergedInto(erased);
		UUID kept = data.profile("kept");
		UUID mergedIntoKept = data.mergedInto(kept);
		for (UUID version : List.of(old, current)) {
			Map<String, float[]> factors = new LinkedHashMap<>();
			factors.put("A", f(1, 0));
			factors.put("B", f(0, 1));
			data.items(version, factors, Map.of());
			for (UUID profile : List.of(erased, mergedIntoErased, kept, mergedIntoKept)) {
				data.user(version, profile, f(1, 0), List.of("B"));
			}
		}
		data.serve(current);
		this.registry.reload();
		for (UUID profile : List.of(erased, kept)) {
			this.mvc.perform(get("/v1/recommendations/profiles/" + profile).header(Workspace.HEADER, data.workspace()))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.items[0].reason").value("als"));
		}
		this.log.flush();
		assertThat(this.registry.current(data.workspace()).userIndex(erased)).isNotNegative();

		// nothing to do while everybody exists (the merged-away profiles are their
		// survivors' history)
		this.sweep.sweep();
		assertThat(rows(erased)).isEqualTo(4);
		assertThat(rows(mergedIntoErased)).isEqualTo(2);

		data.erase(erased);
		assertThat(this.sweep.sweep()).isGreaterThanOrEqualTo(2);
		assertThat(rows(erased)).isZero();
		assertThat(rows(mergedIntoErased)).isZero();
		assertThat(rows(kept)).isEqualTo(4);
		assertThat(rows(mergedIntoKept)).isEqualTo(2);
		assertThat(this.registry.current(data.workspace()).userIndex(erased)).isNegative();
		assertThat(this.registry.current(data.workspace()).userIndex(mergedIntoErased)).isNegative();
		assertThat(this.registry.current(data.workspace()).userIndex(kept)).isNotNegative();
		this.mvc.perform(get("/v1/recommendations/profiles/" + erased).header(Workspace.HEADER, data.workspace()))
			.andExpect(status().isNotFound());
		// a reload of the same version from the database does not bring them back
		this.jdbc.update("update recommender.model_version set status = 'retired' where version_id = ?", current);
		this.registry.reload();
		data.serve(current);
		this.registry.reload();
		assertThat(this.registry.current(data.workspace()).userIndex(erased)).isNegative();
		assertThat(this.sweep.sweep()).isZero();
	}

	/** Every row of this schema that holds the profile id. */
	private int rows(UUID profile) {
		return this.jdbc.queryForObject("""
				select (select count(*) from recommender.recommendation_log where profile_id = ?)
				     + (select count(*) from recommender.served_profile where profile_id = ?)
				     + (select count(*) from recommender.model_user where profile_id = ?)""", Integer.class, profile,
				profile, profile);
	}

}
