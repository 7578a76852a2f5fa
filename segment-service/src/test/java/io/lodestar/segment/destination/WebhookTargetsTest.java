package io.lodestar.segment.destination;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lodestar.web.BadRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTargetsTest {

	private final WebhookTargets strict = new WebhookTargets(
			new WebhookProperties(false, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofHours(1)));

	private final WebhookTargets permissive = new WebhookTargets(
			new WebhookProperties(true, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofHours(1)));

	@ParameterizedTest
	@ValueSource(strings = { "http://93.184.216.34/hook", "https://127.0.0.1/hook", "https://localhost:8085/internal",
			"https://10.1.2.3/hook", "https://192.168.0.10/hook", "https://169.254.169.254/latest/meta-data",
			"https://[::1]/hook", "https://[fd00::1]/hook", "https://0.0.0.0/hook", "https://user:pw@93.184.216.34/",
			"ftp://93.184.216.34/", "not a url" })
	void refusesPlainHttpAndInternalAddresses(String url) {
		assertThatThrownBy(() -> this.strict.check(url)).isInstanceOf(BadRequestException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://93.184.216.34/hook", "https://[2606:2800:220:1:248:1893:25c8:1946]/hook" })
	void acceptsHttpsOnPublicAddresses(String url) {
		assertThat(this.strict.check(url).getScheme()).isEqualTo("https");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:9999/hook", "https://localhost/hook" })
	void developmentMayCallLoopback(String url) {
		assertThat(this.permissive.check(url)).isNotNull();
	}

}
