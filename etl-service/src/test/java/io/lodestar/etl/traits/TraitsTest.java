package io.lodestar.etl.traits;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.lodestar.etl.identity.EventIdentifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraitsTest {

	@Test
	void strategiesAreReadFromTheSetting() {
		assertThat(TraitStrategies.parse(" firstSource = first, points=MAX,lowest=min , tags=append, plan=latest")
			.strategies())
			.isEqualTo(Map.of("firstSource", TraitStrategy.FIRST, "points", TraitStrategy.MAX, "lowest",
					TraitStrategy.MIN, "tags", TraitStrategy.APPEND));
		assertThat(TraitStrategies.parse("").strategies()).isEmpty();
		assertThatThrownBy(() -> TraitStrategies.parse("points=biggest")).hasMessageContaining("points")
			.hasMessageContaining("latest, first, max, min, append");
		assertThatThrownBy(() -> TraitStrategies.parse("points")).hasMessageContaining("key=strategy");
	}

	@Test
	void withoutStrategiesTheNewTraitsWin() {
		assertThat(TraitStrategies.parse("").apply("p.traits", "x.incoming")).isEqualTo("(p.traits || x.incoming)");
		assertThat(TraitStrategies.parse("").merge("p.traits", "m.traits", "true")).isEqualTo("(m.traits || p.traits)");
	}

	@Test
	void traitKeysAreQuotedAsLiterals() {
		assertThat(TraitStrategies.parse("it's=first").apply("p.traits", "x.incoming")).contains("'it''s'")
			.doesNotContain("'it's'");
	}

	@Test
	void aPurchasesValueIsItsFirstRevenuePropertyThatIsANumber() {
		Traits traits = Traits.defaults();
		assertThat(traits.revenue(EventIdentifiers.tree("{\"revenue\":\"n/a\",\"total\":\"15.30\",\"value\":9}")))
			.isEqualByComparingTo("15.30");
		assertThat(traits.revenue(EventIdentifiers.tree("{\"revenue\":12.5}"))).isEqualByComparingTo("12.5");
		assertThat(traits.revenue(EventIdentifiers.tree("{\"revenue\":1e300}"))).isEqualByComparingTo(BigDecimal.ZERO);
		assertThat(traits.revenue(null)).isEqualByComparingTo(BigDecimal.ZERO);
		assertThat(traits.purchase("track", "Order Completed")).isTrue();
		assertThat(traits.purchase("page", "Order Completed")).isFalse();
	}

	@Test
	void channelsFollowTheDefaultGroupingInSpirit() {
		assertThat(Channel.of("google", "cpc", "gclid")).isEqualTo("Paid Search");
		assertThat(Channel.of(null, null, "msclkid")).isEqualTo("Paid Search");
		assertThat(Channel.of("facebook", "cpc", null)).isEqualTo("Paid Social");
		assertThat(Channel.of("tiktok", "paid_social", "ttclid")).isEqualTo("Paid Social");
		assertThat(Channel.of("criteo", "display", null)).isEqualTo("Display");
		assertThat(Channel.of("newsletter", "email", null)).isEqualTo("Email");
		assertThat(Channel.of("awin", "affiliate", null)).isEqualTo("Affiliates");
		assertThat(Channel.of("instagram", null, null)).isEqualTo("Organic Social");
		assertThat(Channel.of("facebook", "social", "fbclid")).isEqualTo("Organic Social");
		assertThat(Channel.of("google", "organic", null)).isEqualTo("Organic Search");
		assertThat(Channel.of("blog.example", "referral", null)).isEqualTo("Referral");
		assertThat(Channel.of("partner", "print", null)).isEqualTo("Other");
	}

}
