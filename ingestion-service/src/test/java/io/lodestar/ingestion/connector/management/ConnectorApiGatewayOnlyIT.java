package io.lodestar.ingestion.connector.management;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.lodestar.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the gateway's shared secret set, {@code /v1/connectors} answers only requests
 * whose workspace the gateway signed for: a caller on the service's port cannot pick one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "lodestar.web.service-secret=" + ConnectorApiGatewayOnlyIT.SECRET)
class ConnectorApiGatewayOnlyIT {

	static final String SECRET = "a-service-secret-of-at-least-thirty-two-bytes";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestInfrastructure.registerSpringProperties(registry);
	}

	@Test
	void onlyAWorkspaceTheGatewaySignedForIsServed() throws Exception {
		assertThat(list("ws-gw", null).statusCode()).isEqualTo(401);
		assertThat(list("ws-gw", sign("ws-other")).statusCode()).isEqualTo(401);
		HttpResponse<String> vouched = list("ws-gw", sign("ws-gw"));
		assertThat(vouched.statusCode()).isEqualTo(200);
		assertThat(vouched.body()).contains("\"items\"");
	}

	private HttpResponse<String> list(String workspace, String assertion) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/connectors"))
			.header("X-Lodestar-Workspace", workspace);
		if (assertion != null) {
			request.header("X-Lodestar-Assertion", assertion);
		}
		return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The gateway's format: v1.b64(ws).b64(actor).expiry.b64(HMAC-SHA256). */
	private static String sign(String workspace) throws Exception {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String signed = "v1." + b64.encodeToString(workspace.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64.encodeToString("admin@example.com".getBytes(StandardCharsets.UTF_8)) + "."
				+ Instant.now().plusSeconds(60).getEpochSecond();
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
	}

}
