package io.lodestar.etl.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded population with known truth for the identity quality test: people with a user
 * id (or only an email: guest buyers), emails and phones, one to three devices — browsers
 * (an anonymousId per cookie; cookies are sometimes cleared) and phones (an advertising
 * id and an anonymousId per app install) — and sessions over 30 days: a few anonymous
 * events, often a login or an email, more events. Traps: households sharing a tablet
 * (both log in on it and browse on it anonymously; the app resets its anonymousId when
 * the other person logs out, the advertising id stays), households sharing an email
 * address, and junk values on every kind (userId {@code "undefined"}, test addresses,
 * all-zero advertising ids and anonymousIds, {@code "0000000000"} phones) that would
 * merge strangers if they were believed. Every event remembers whose it truly is.
 */
final class IdentityGenerator {

	static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

	static final int DAYS = 30;

	private final Random random;

	private final String workspace;

	private final String run;

	private final List<Event> events = new ArrayList<>();

	private final Map<String, Integer> traps = new HashMap<>();

	IdentityGenerator(long seed, String workspace, String run) {
		this.random = new Random(seed);
		this.workspace = workspace;
		this.run = run;
	}

	/**
	 * One event as it reaches Kafka, with its true owner.
	 *
	 * @param eventId the id
	 * @param person the person it truly belongs to
	 * @param at when it happened
	 * @param key the Kafka key
	 * @param json the envelope
	 */
	record Event(UUID eventId, int person, Instant at, String key, String json) {
	}

	private final class Device {

		final boolean mobile;

		final String advertisingId;

		String anonymousId;

		boolean identified;

		boolean shared;

		int lastUser = -1;

		Device(boolean mobile) {
			this.mobile = mobile;
			this.advertisingId = mobile ? UUID.randomUUID().toString() : null;
			this.anonymousId = UUID.randomUUID().toString();
		}

	}

	private final class Person {

		final int index;

		final String userId;

		final String email;

		final String secondEmail;

		final String phone;

		final List<Device> devices = new ArrayList<>();

		Person(int index, boolean known) {
			this.index = index;
			this.userId = known ? "u-" + IdentityGenerator.this.run + "-" + index : null;
			this.email = (known ? chance(0.8) : true)
					? "p" + index + "." + IdentityGenerator.this.run + "@mail.example.io" : null;
			this.secondEmail = chance(0.15) ? "work" + index + "." + IdentityGenerator.this.run + "@corp.example.io"
					: null;
			this.phone = chance(0.4) ? "+3519" + String.format("%08d", 10_000_000 + index * 7919 % 89_999_999) : null;
		}

	}

	/**
	 * Generates the population.
	 * @param people how many people
	 * @return the events, in time order
	 */
	List<Event> generate(int people) {
		List<Person> persons = new ArrayList<>();
		for (int i = 0; i < people; i++) {
			Person person = new Person(i, chance(0.85));
			int devices = 1 + this.random.nextInt(3);
			for (int d = 0; d < devices; d++) {
				person.devices.add(new Device(chance(0.4)));
			}
			persons.add(person);
		}
		// households: a tablet two known people both use, and a few shared mailboxes
		Map<Integer, Device> sharedTablets = new HashMap<>();
		Map<Integer, Integer> householdOf = new HashMap<>();
		for (int i = 0; i + 1 < people; i += 2) {
			Person a = persons.get(i);
			Person b = persons.get(i + 1);
			if (a.userId != null && b.userId != null && chance(0.10)) {
				Device tablet = new Device(true);
				tablet.shared = true;
				a.devices.add(tablet);
				b.devices.add(tablet);
				sharedTablets.put(i, tablet);
				householdOf.put(i + 1, i);
				count("sharedTablets");
			}
		}
		Map<Integer, String> sharedMailbox = new HashMap<>();
		for (int i = 1; i + 1 < people; i += 2) {
			if (persons.get(i).userId != null && persons.get(i + 1).userId != null && chance(0.04)) {
				String mailbox = "home" + i + "." + this.run + "@family.example.io";
				sharedMailbox.put(i, mailbox);
				sharedMailbox.put(i + 1, mailbox);
				count("sharedMailboxes");
			}
		}
		// sessions are simulated in time order: what a device remembers (cookies, who
		// used
		// it last) evolves as it would
		record Session(Instant at, Person person, Device device) {
		}
		List<Session> sessions = new ArrayList<>();
		for (Person person : persons) {
			int count = 4 + this.random.nextInt(9);
			for (int s = 0; s < count; s++) {
				Device device = person.devices.get(this.random.nextInt(person.devices.size()));
				Instant at = START.plus(Duration.ofSeconds((long) (this.random.nextDouble() * DAYS * 86400)));
				sessions.add(new Session(at, person, device));
			}
		}
		sessions.sort(Comparator.comparing(Session::at).thenComparing((session) -> session.person().index));
		for (Session session : sessions) {
			session(session.person(), session.device(), session.at(), sharedMailbox.get(session.person().index));
		}
		this.events.sort(Comparator.comparing(Event::at).thenComparing(Event::eventId));
		return this.events;
	}

	Map<String, Integer> traps() {
		return this.traps;
	}

	private void session(Person person, Device device, Instant start, String mailbox) {
		if (device.shared && device.lastUser != person.index) {
			// the other person logged out (the app resets its SDK, as Segment's docs
			// ask):
			// a new anonymousId, the same advertising id
			device.anonymousId = UUID.randomUUID().toString();
			device.identified = false;
		}
		device.lastUser = person.index;
		if (!device.mobile && chance(0.1)) {
			// cleared cookies: a new anonymousId on the same browser
			device.anonymousId = UUID.randomUUID().toString();
			device.identified = false;
			count("clearedCookies");
		}
		Instant at = start;
		boolean loggedIn = false;
		int before = 1 + this.random.nextInt(3);
		for (int e = 0; e < before; e++) {
			add(person, at, null, device, track(e == 0 ? "Page Viewed" : "Product Viewed"), null);
			at = at.plusSeconds(20 + this.random.nextInt(200));
		}
		// a device's first session identifies most of the time; later ones sometimes
		boolean identify = device.identified ? chance(0.45) : chance(0.93);
		if (identify) {
			if (person.userId != null) {
				String email = (mailbox != null && chance(0.5)) ? mailbox : pick(person.email, person.secondEmail);
				add(person, at, person.userId, device, "identify", traits(email, person.phone));
				loggedIn = true;
			}
			else {
				// a guest gives an email at checkout, in the context traits
				add(person, at, null, device, track("Checkout Started"), contextTraits(person.email, person.phone));
			}
			device.identified = true;
			at = at.plusSeconds(30 + this.random.nextInt(120));
		}
		int after = this.random.nextInt(5);
		for (int e = 0; e < after; e++) {
			add(person, at, loggedIn ? person.userId : null, device, track("Product Viewed"), null);
			at = at.plusSeconds(20 + this.random.nextInt(200));
		}
	}

	private void add(Person person, Instant at, String userId, Device device, String payload, String traitsContext) {
		UUID eventId = UUID.randomUUID();
		String type = payload.equals("identify") ? "identify" : "track";
		String body = payload.equals("identify") ? traitsContext : payload;
		StringBuilder context = new StringBuilder("{");
		String anonymousId = device.anonymousId;
		String advertisingId = device.advertisingId;
		String effectiveUser = userId;
		// junk values, as broken SDKs and forms send them
		if (userId == null && chance(0.05)) {
			effectiveUser = pick("undefined", "null", "0");
			count("junkUserIds");
		}
		if (device.mobile && chance(0.05)) {
			advertisingId = "00000000-0000-0000-0000-000000000000";
			count("junkAdvertisingIds");
		}
		if (device.mobile && chance(0.03) && !advertisingId.startsWith("0000")) {
			anonymousId = "00000000-0000-0000-0000-000000000000";
			count("junkAnonymousIds");
		}
		if (advertisingId != null) {
			context.append("\"device\":{\"advertisingId\":\"").append(advertisingId).append("\"}");
		}
		if (type.equals("track") && traitsContext != null) {
			context.append((context.length() > 1) ? "," : "").append("\"traits\":").append(traitsContext);
		}
		else if (type.equals("track") && chance(0.04)) {
			context.append((context.length() > 1) ? "," : "")
				.append("\"traits\":{\"email\":\"")
				.append(pick("test@example.com", "undefined", "null", "noreply@shop.io"))
				.append("\",\"phone\":\"0000000000\"}");
			count("junkEmails");
		}
		context.append('}');
		String identity = ((effectiveUser != null) ? "\"userId\":\"" + effectiveUser + "\"," : "")
				+ "\"anonymousId\":\"" + anonymousId + "\"";
		String json = """
				{"eventId":"%s","type":"%s","schemaVersion":"1-0-0","occurredAt":"%s","receivedAt":"%s",
				 "workspaceId":"%s","sourceId":"web","messageId":"%s","identity":{%s},"context":%s,"payload":%s}"""
			.formatted(eventId, type, at, at, this.workspace, eventId, identity, context, body);
		String key = this.workspace + ":" + ((userId != null) ? userId : anonymousId);
		this.events.add(new Event(eventId, person.index, at, key, json));
	}

	private static String track(String name) {
		return "{\"event\":\"" + name + "\",\"properties\":{}}";
	}

	private static String traits(String email, String phone) {
		return "{\"traits\":{" + ((email != null) ? "\"email\":\"" + email + "\"" : "")
				+ ((email != null && phone != null) ? "," : "") + ((phone != null) ? "\"phone\":\"" + phone + "\"" : "")
				+ "}}";
	}

	private static String contextTraits(String email, String phone) {
		String traits = traits(email, phone);
		return traits.substring("{\"traits\":".length(), traits.length() - 1);
	}

	private String pick(String... values) {
		List<String> present = new ArrayList<>();
		for (String value : values) {
			if (value != null) {
				present.add(value);
			}
		}
		return present.isEmpty() ? null : present.get(this.random.nextInt(present.size()));
	}

	private boolean chance(double p) {
		return this.random.nextDouble() < p;
	}

	private void count(String trap) {
		this.traps.merge(trap, 1, Integer::sum);
	}

}
