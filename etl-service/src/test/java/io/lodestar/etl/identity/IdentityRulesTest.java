package io.lodestar.etl.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.lodestar.contracts.identity.IdentifierKind;
import io.lodestar.contracts.identity.Identifiers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every merge rule of the identity graph on an in-memory graph: the same rules the
 * streaming job applies to PostgreSQL and the batch recompute replays.
 */
class IdentityRulesTest {

	private final IdentityGraph graph = new IdentityGraph(IdentityRules.defaults());

	@Test
	void anAnonymousVisitorWhoIdentifiesKeepsOneProfile() {
		UUID browsing = this.graph.apply(ids(anon("a1")));
		UUID identified = this.graph.apply(ids(user("ada"), anon("a1")));

		assertThat(identified).isEqualTo(browsing);
		assertThat(this.graph.profiles()).hasSize(1);
		assertThat(this.graph.merges()).isEmpty();
	}

	@Test
	void anAnonymousProfileIsMergedIntoTheKnownPersonAndThePersonSurvives() {
		UUID person = this.graph.apply(ids(user("ada")));
		UUID visitor = this.graph.apply(ids(anon("a1")));

		UUID landed = this.graph.apply(ids(user("ada"), anon("a1")));

		assertThat(landed).isEqualTo(person);
		assertThat(this.graph.current(visitor)).isEqualTo(person);
		assertThat(this.graph.merges())
			.containsExactly(new IdentityGraph.Merge(visitor, person, "anonymous_identified"));
	}

	@Test
	void aSecondUserIdOnTheSameDeviceNeverMergesTwoKnownPeople() {
		UUID ada = this.graph.apply(ids(user("ada"), anon("tablet"), device("idfa-1")));
		UUID grace = this.graph.apply(ids(user("grace"), anon("tablet"), device("idfa-1")));

		assertThat(grace).isNotEqualTo(ada);
		assertThat(this.graph.current(ada)).isEqualTo(ada);
		assertThat(this.graph.merges()).isEmpty();
		// the device stays with its first owner, now shared
		assertThat(this.graph.owners().get(anon("tablet"))).isEqualTo(new IdentityRules.Owner(ada, true));
		assertThat(this.graph.owners().get(device("idfa-1"))).isEqualTo(new IdentityRules.Owner(ada, true));
		assertThat(this.graph.owners().get(user("grace"))).isEqualTo(new IdentityRules.Owner(grace, false));
		// each known person's own events still land on their profile
		assertThat(this.graph.apply(ids(user("grace"), anon("tablet")))).isEqualTo(grace);
		assertThat(this.graph.apply(ids(user("ada"), anon("tablet")))).isEqualTo(ada);
	}

	@Test
	void aSharedDeviceFillsInNobodyElseButItsOwnAnonymousEventsStay() {
		UUID ada = this.graph.apply(ids(user("ada"), device("idfa-1")));
		this.graph.apply(ids(user("grace"), device("idfa-1")));

		// a new app install on the shared device: not Ada's by the device alone
		UUID install = this.graph.apply(ids(anon("fresh"), device("idfa-1")));
		assertThat(install).isNotIn(ada);
		// an event with nothing but the shared device stays with its first owner
		assertThat(this.graph.apply(ids(device("idfa-1")))).isEqualTo(ada);
		// and a shared device merges nothing
		UUID browsing = this.graph.apply(ids(anon("other")));
		this.graph.apply(ids(anon("other"), device("idfa-1")));
		assertThat(this.graph.current(browsing)).isEqualTo(browsing);
	}

	@Test
	void aDeviceIsSharedOnlyOnceMoreProfilesThanItsLimitContestedIt() {
		IdentityGraph tolerant = new IdentityGraph(
				new IdentityRules(Map.of(IdentifierKind.DEVICE_ID, new IdentityRules.Limit(10, 2)), Set.of()));
		UUID ada = tolerant.apply(ids(user("ada"), device("d")));
		tolerant.apply(ids(user("grace"), device("d")));
		assertThat(tolerant.owners().get(device("d")).shared()).isFalse();
		assertThat(tolerant.apply(ids(anon("x"), device("d")))).as("still fills in").isEqualTo(ada);

		tolerant.apply(ids(user("grace"), device("d")));
		assertThat(tolerant.owners().get(device("d")).shared()).as("the same contender counts once").isFalse();
		tolerant.apply(ids(user("alan"), device("d")));
		assertThat(tolerant.owners().get(device("d")).shared()).isTrue();
		assertThat(tolerant.apply(ids(anon("y"), device("d")))).isNotEqualTo(ada);
	}

	@Test
	void anEventWithOnlyADeviceIdLandsOnTheProfileTheDeviceBelongsTo() {
		UUID ada = this.graph.apply(ids(user("ada"), anon("app-1"), device("adid-1")));

		assertThat(this.graph.apply(ids(anon("app-2"), device("adid-1")))).isEqualTo(ada);
		assertThat(this.graph.apply(ids(device("adid-1")))).isEqualTo(ada);
		assertThat(this.graph.apply(ids(anon("app-2"), device("adid-1")))).isEqualTo(ada);
		// the device alone does not make the new install Ada's: it may be a family tablet
		assertThat(this.graph.owners().get(anon("app-2"))).isNull();
		// her login on it does
		assertThat(this.graph.apply(ids(user("ada"), anon("app-2"), device("adid-1")))).isEqualTo(ada);
		assertThat(this.graph.owners().get(anon("app-2")).profileId()).isEqualTo(ada);
	}

	@Test
	void onASharedTabletTheSecondPersonsFreshInstallBecomesTheirsWhenTheyLogIn() {
		UUID ada = this.graph.apply(ids(user("ada"), anon("install-1"), device("tablet")));
		// Grace's first session after Ada logged out: a new anonymousId, the same device
		assertThat(this.graph.apply(ids(anon("install-2"), device("tablet")))).isEqualTo(ada);
		UUID grace = this.graph.apply(ids(user("grace"), anon("install-2"), device("tablet")));

		assertThat(grace).isNotEqualTo(ada);
		assertThat(this.graph.owners().get(anon("install-2"))).isEqualTo(new IdentityRules.Owner(grace, false));
		assertThat(this.graph.owners().get(device("tablet")).shared()).isTrue();
		assertThat(this.graph.apply(ids(anon("install-2"), device("tablet")))).isEqualTo(grace);
		assertThat(this.graph.apply(ids(anon("install-1"), device("tablet")))).isEqualTo(ada);
	}

	@Test
	void anEmailJoinsAGuestCheckoutToTheKnownPerson() {
		UUID ada = this.graph.apply(ids(user("ada"), email("ada@lovelace.io")));
		UUID guest = this.graph.apply(ids(anon("laptop")));

		UUID landed = this.graph.apply(ids(anon("laptop"), email("ADA@lovelace.io ")));

		assertThat(landed).isEqualTo(ada);
		assertThat(this.graph.current(guest)).isEqualTo(ada);
		// the reason names what the merged profile was known by
		assertThat(this.graph.merges()).extracting(IdentityGraph.Merge::reason).containsExactly("anonymous_identified");
	}

	@Test
	void aHouseholdEmailOfTwoKnownPeopleMergesNeitherAndFillsInNobody() {
		UUID ada = this.graph.apply(ids(user("ada"), email("home@lovelace.io")));
		UUID grace = this.graph.apply(ids(user("grace"), email("home@lovelace.io")));

		assertThat(grace).isNotEqualTo(ada);
		assertThat(this.graph.owners().get(email("home@lovelace.io"))).isEqualTo(new IdentityRules.Owner(ada, true));
		assertThat(this.graph.apply(ids(anon("guest"), email("home@lovelace.io")))).isNotIn(ada, grace);
	}

	@Test
	void theHighestPriorityIdentifierDecidesWhenTwoProfilesCannotMerge() {
		UUID ada = this.graph.apply(ids(user("ada"), anon("a1")));
		UUID grace = this.graph.apply(ids(user("grace"), email("grace@navy.mil")));

		// Grace's email on Ada's browser: the email (higher priority) wins, the browser
		// is contested
		UUID landed = this.graph.apply(ids(anon("a1"), email("grace@navy.mil")));

		assertThat(landed).isEqualTo(grace);
		assertThat(this.graph.owners().get(anon("a1")).profileId()).isEqualTo(ada);
	}

	@Test
	void anAnonymousProfileTakesTheUserIdWhenItIsKnownOnlyByItsAnonymousId() {
		UUID visitor = this.graph.apply(ids(anon("a1"), email("ada@lovelace.io")));
		UUID person = this.graph.apply(ids(user("ada"), email("ada@lovelace.io")));

		assertThat(person).isEqualTo(visitor);
		assertThat(this.graph.owners().get(user("ada")).profileId()).isEqualTo(visitor);
	}

	@Test
	void aPerProfileLimitLeavesOutTheIdentifierThatWouldBreakIt() {
		IdentityGraph strict = new IdentityGraph(
				new IdentityRules(Map.of(IdentifierKind.EMAIL_SHA256, new IdentityRules.Limit(2, 1)), Set.of()));
		UUID ada = strict.apply(ids(user("ada"), email("a@lovelace.io")));
		strict.apply(ids(user("ada"), email("b@lovelace.io")));
		strict.apply(ids(user("ada"), email("c@lovelace.io")));

		assertThat(strict.owners().get(email("c@lovelace.io"))).as("a third email is not attached").isNull();
		// two anonymous profiles with two emails each would make four: no merge
		UUID one = strict.apply(ids(anon("x"), email("x1@a.io")));
		strict.apply(ids(anon("x"), email("x2@a.io")));
		UUID two = strict.apply(ids(anon("y"), email("y1@a.io")));
		strict.apply(ids(anon("y"), email("y2@a.io")));
		strict.apply(ids(anon("x"), anon("y")));
		assertThat(strict.current(one)).isNotEqualTo(strict.current(two));
		assertThat(strict.current(ada)).isEqualTo(ada);
	}

	@Test
	void theOlderProfileSurvivesWhenNeitherIsKnown() {
		UUID older = this.graph.apply(ids(anon("a1")));
		UUID newer = this.graph.apply(ids(device("adid-9")));

		assertThat(this.graph.apply(ids(anon("a1"), device("adid-9")))).isEqualTo(older);
		assertThat(this.graph.current(newer)).isEqualTo(older);
		assertThat(this.graph.merges()).extracting(IdentityGraph.Merge::reason).containsExactly("matched_device_id");
	}

	@Test
	void junkValuesIdentifyNobodyAndMergeNobody() {
		List<Identifier> first = EventIdentifiers.of(IdentityRules.defaults(), "undefined", "a1", null,
				EventIdentifiers.tree("{\"email\":\"test@example.com\",\"phone\":\"0000000\"}"),
				EventIdentifiers.tree("{\"device\":{\"advertisingId\":\"00000000-0000-0000-0000-000000000000\","
						+ "\"id\":\"9774d56d682e549c\"}}"));
		List<Identifier> second = EventIdentifiers.of(IdentityRules.defaults(), "0", "a2", null,
				EventIdentifiers.tree("{\"email\":\"null\"}"),
				EventIdentifiers.tree("{\"device\":{\"advertisingId\":\"00000000-0000-0000-0000-000000000000\"}}"));

		assertThat(first).containsExactly(anon("a1"));
		assertThat(second).containsExactly(anon("a2"));
		assertThat(this.graph.apply(first)).isNotEqualTo(this.graph.apply(second));
	}

	@Test
	void aConfiguredJunkValueIsIgnoredLikeTheContractsOnes() {
		IdentityRules rules = new IdentityRules(Map.of(), Set.of("demo-device"));

		assertThat(EventIdentifiers.of(rules, "u1", null, null, null,
				EventIdentifiers.tree("{\"device\":{\"id\":\" Demo-Device \"}}")))
			.containsExactly(user("u1"));
	}

	@Test
	void identifiersComeFromTraitsContextDevicesExternalIdsAndAnAliasPreviousId() {
		List<Identifier> identifiers = EventIdentifiers.of(IdentityRules.defaults(), "u1", "a1", "old-anon",
				EventIdentifiers.tree("{\"email\":\"Ada@Lovelace.io\"}"), EventIdentifiers.tree("""
						{"traits":{"email":"other@lovelace.io","phone":"+44 20 7946 0958"},
						 "device":{"advertisingId":"adid-1","id":"idfv-1","appsFlyerId":"1690000000000-123"},
						 "externalIds":[{"type":"shopify_customer_id","id":"gid://shopify/Customer/77"},
						                {"type":"woocommerce_customer_id","id":77},{"type":"braze_id","id":"x"}]}"""));

		assertThat(identifiers).containsExactlyInAnyOrder(user("u1"), anon("a1"), anon("old-anon"),
				email("ada@lovelace.io"),
				new Identifier(IdentifierKind.PHONE_SHA256, Identifiers.phoneHash("+442079460958").orElseThrow()),
				device("adid-1"), device("idfv-1"), device("1690000000000-123"),
				new Identifier(IdentifierKind.CUSTOMER_ID, "shopify:gid://shopify/Customer/77"),
				new Identifier(IdentifierKind.CUSTOMER_ID, "woocommerce:77"));
	}

	@Test
	void aUserIdLimitOtherThanOneIsRefused() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(
					() -> new IdentityRules(Map.of(IdentifierKind.USER_ID, new IdentityRules.Limit(2, 1)), Set.of()))
			.isInstanceOf(IllegalArgumentException.class);
	}

	static List<Identifier> ids(Identifier... identifiers) {
		return new ArrayList<>(List.of(identifiers));
	}

	static Identifier user(String value) {
		return new Identifier(IdentifierKind.USER_ID, value);
	}

	static Identifier anon(String value) {
		return new Identifier(IdentifierKind.ANONYMOUS_ID, value);
	}

	static Identifier device(String value) {
		return new Identifier(IdentifierKind.DEVICE_ID, value);
	}

	static Identifier email(String raw) {
		return new Identifier(IdentifierKind.EMAIL_SHA256, Identifiers.emailHash(raw).orElseThrow());
	}

}
