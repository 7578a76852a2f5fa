package io.lodestar.etl.campaign;

import org.junit.jupiter.api.Test;

import io.lodestar.etl.identity.EventIdentifiers;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignTouchTest {

	@Test
	void segmentsContextCampaignIsTheTouch() {
		assertThat(CampaignTouch.of(EventIdentifiers
			.tree("""
					{"campaign":{"source":"Newsletter","medium":"Email","name":"Winter Sale","term":"boots","content":"hero"}}"""),
				null))
			.contains(new CampaignTouch("newsletter", "email", "Winter Sale", "boots", "hero", null));
	}

	@Test
	void utmParametersOfThePageUrlFillWhatTheContextLacks() {
		assertThat(CampaignTouch.of(EventIdentifiers
			.tree("""
					{"campaign":{"name":"From Context"},
					 "page":{"url":"https://shop.example/p?utm_source=Google&utm_medium=cpc&utm_campaign=ignored&utm_term=red%20boots#top"}}"""),
				null))
			.contains(new CampaignTouch("google", "cpc", "From Context", "red boots", null, null));
		assertThat(
				CampaignTouch.of(null, EventIdentifiers.tree("{\"search\":\"?utm_source=meta&utm_content=carousel\"}")))
			.contains(new CampaignTouch("meta", null, null, null, "carousel", null));
	}

	@Test
	void anAdClickIdIsKeptAndNamesItsPlatformWhenNoSourceIsGiven() {
		assertThat(CampaignTouch.of(EventIdentifiers.tree("{\"page\":{\"search\":\"?gclid=Cj0KCQ&x=1\"}}"), null))
			.contains(new CampaignTouch("google", "cpc", null, null, null, "gclid"));
		assertThat(CampaignTouch.of(EventIdentifiers.tree("{\"page\":{\"search\":\"?ttclid=abc\"}}"), null))
			.contains(new CampaignTouch("tiktok", "paid_social", null, null, null, "ttclid"));
		assertThat(CampaignTouch.of(
				EventIdentifiers.tree("{\"page\":{\"url\":\"https://s.io/?utm_source=newsletter&fbclid=IwAR\"}}"),
				null))
			.contains(new CampaignTouch("newsletter", null, null, null, null, "fbclid"));
		assertThat(CampaignTouch.of(EventIdentifiers.tree("{\"page\":{\"search\":\"?msclkid=1&wbraid=2\"}}"), null))
			.contains(new CampaignTouch("google", "cpc", null, null, null, "wbraid"));
	}

	@Test
	void anEventWithoutCampaignParametersIsNoTouch() {
		assertThat(CampaignTouch.of(EventIdentifiers.tree("{\"page\":{\"url\":\"https://s.io/p?id=3&q=utm\"}}"), null))
			.isEmpty();
		assertThat(CampaignTouch.of(EventIdentifiers.tree("{\"campaign\":{\"source\":\"  \"}}"), null)).isEmpty();
		assertThat(CampaignTouch.of(null, null)).isEmpty();
	}

	@Test
	void overlongValuesAreCutToTheColumns() {
		String longName = "x".repeat(600);
		assertThat(CampaignTouch.of(EventIdentifiers.tree("{\"campaign\":{\"name\":\"" + longName + "\"}}"), null)
			.orElseThrow()
			.campaign()).hasSize(500);
	}

}
