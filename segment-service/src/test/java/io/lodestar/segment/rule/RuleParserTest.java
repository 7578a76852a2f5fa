package io.lodestar.segment.rule;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RuleParserTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final UUID KNOWN = UUID.fromString("00000000-0000-4000-8000-000000000001");

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

	@Test
	void aValidRuleOfEveryKindParses() {
		Rule rule = parse(
				"""
						{"type":"and","conditions":[
						  {"type":"trait","trait":"address.city","op":"startsWith","value":"Lon"},
						  {"type":"computed","field":"lastSeenAt","op":"withinLast","value":{"amount":30,"unit":"days"}},
						  {"type":"or","conditions":[
						    {"type":"event","event":"Order Completed","count":{"op":"gte","value":2},
						     "where":[{"property":"currency","op":"eq","value":"EUR"}],
						     "window":{"withinLast":{"amount":90,"unit":"days"}}},
						    {"type":"event","event":"Order Completed","aggregate":{"fn":"sum","property":"revenue","op":"gt","value":100}}]},
						  {"type":"not","condition":{"type":"segment","segmentId":"00000000-0000-4000-8000-000000000001"}}]}""");

		Rule.Group group = (Rule.Group) rule;
		assertThat(group.all()).isTrue();
		Rule.Compare recent = (Rule.Compare) group.conditions().get(1);
		assertThat(recent.comparison().op()).isEqualTo(Rule.Op.GTE);
		assertThat(recent.comparison().values()).containsExactly(Instant.parse("2026-10-25T12:00:00Z"));
		Rule.Event orders = (Rule.Event) ((Rule.Group) group.conditions().get(2)).conditions().get(0);
		assertThat(orders.from()).isEqualTo(Instant.parse("2026-08-26T12:00:00Z"));
		assertThat(orders.where()).hasSize(1);
	}

	@Test
	void everyProblemIsReportedWithItsPointer() {
		assertErrors("{\"type\":\"and\",\"conditions\":[]}", "/rule/conditions");
		assertErrors("{\"type\":\"xor\"}", "/rule/type");
		assertErrors("{\"type\":\"trait\",\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\",\"colour\":1}",
				"/rule/colour");
		assertErrors(
				"{\"type\":\"and\",\"conditions\":[{\"type\":\"trait\",\"trait\":\"age\",\"op\":\"gt\",\"value\":true}]}",
				"/rule/conditions/0/value");
		assertErrors("{\"type\":\"computed\",\"field\":\"eventCount\",\"op\":\"startsWith\",\"value\":\"1\"}",
				"/rule/op");
		assertErrors("{\"type\":\"computed\",\"field\":\"eventCount\",\"op\":\"gt\",\"value\":\"many\"}",
				"/rule/value");
		assertErrors("{\"type\":\"computed\",\"field\":\"lifetime\",\"op\":\"gt\",\"value\":1}", "/rule/field");
		assertErrors("{\"type\":\"trait\",\"trait\":\"a..b\",\"op\":\"exists\"}", "/rule/trait");
		assertErrors("{\"type\":\"trait\",\"trait\":\"a\",\"op\":\"between\",\"value\":[10,1]}", "/rule/value/1");
		assertErrors("{\"type\":\"trait\",\"trait\":\"a\",\"op\":\"in\",\"value\":[\"x\",1]}", "/rule/value/1");
		assertErrors("{\"type\":\"event\",\"event\":\"x\",\"window\":{\"from\":\"2026-02-01\",\"to\":\"2026-01-01\"}}",
				"/rule/window/to");
		assertErrors(
				"{\"type\":\"event\",\"event\":\"x\",\"window\":{\"withinLast\":{\"amount\":0,\"unit\":\"days\"}}}",
				"/rule/window/withinLast");
		assertErrors(
				"{\"type\":\"event\",\"event\":\"x\",\"window\":{\"withinLast\":{\"amount\":3,\"unit\":\"fortnights\"}}}",
				"/rule/window/withinLast/unit");
		assertErrors("{\"type\":\"event\",\"event\":\"x\",\"count\":{\"op\":\"gte\",\"value\":1.5}}",
				"/rule/count/value");
		assertErrors("{\"type\":\"event\",\"event\":\"x\",\"performed\":false,\"count\":{\"op\":\"gte\",\"value\":1}}",
				"/rule/performed");
		assertErrors("{\"type\":\"event\",\"eventType\":\"track\"}", "/rule/event");
		assertErrors("{\"type\":\"segment\",\"segmentId\":\"" + UUID.randomUUID() + "\"}", "/rule/segmentId");
		assertErrors("{\"type\":\"not\"}", "/rule/condition");
		assertErrors("[]", "/rule");
	}

	@Test
	void allProblemsAreCollectedNotJustTheFirst() {
		assertThatExceptionOfType(RuleException.class).isThrownBy(() -> parse("""
				{"type":"or","conditions":[{"type":"trait","op":"eq","value":1},{"type":"computed","field":"x"}]}"""))
			.satisfies((ex) -> assertThat(ex.errors()).extracting(RuleException.RuleError::pointer)
				.contains("/rule/conditions/0/trait", "/rule/conditions/1/field"));
	}

	@Test
	void nestingAndSizeAreBounded() {
		String deep = "{\"type\":\"trait\",\"trait\":\"a\",\"op\":\"exists\"}";
		for (int i = 0; i < 12; i++) {
			deep = "{\"type\":\"not\",\"condition\":" + deep + "}";
		}
		String nested = deep;
		assertThatExceptionOfType(RuleException.class).isThrownBy(() -> parse(nested))
			.satisfies((ex) -> assertThat(ex.errors().get(0).reason()).contains("nest at most"));
	}

	private void assertErrors(String rule, String pointer) {
		assertThatExceptionOfType(RuleException.class).as(rule)
			.isThrownBy(() -> parse(rule))
			.satisfies((ex) -> assertThat(ex.errors()).as(rule)
				.extracting(RuleException.RuleError::pointer)
				.contains(pointer));
	}

	private Rule parse(String rule) {
		return new RuleParser(this.clock, KNOWN::equals).parse(JSON.readTree(rule), "/rule");
	}

}
