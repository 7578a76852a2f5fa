package io.lodestar.ingestion.collector;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import io.lodestar.ingestion.writekey.WriteKeyOwner;
import io.lodestar.ingestion.writekey.WriteKeyService;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = { CollectorController.class, SdkSettingsController.class },
		properties = { "lodestar.ingestion.rate-limit.messages-per-second=1", "lodestar.ingestion.rate-limit.burst=2" })
@Import({ CollectorService.class, CollectorSlice.class })
class CollectorRateLimitTest {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	WriteKeyService writeKeys;

	@MockitoBean
	EventPublisher publisher;

	@Test
	void aWorkspaceOverItsRateGets429WithRetryAfter() throws Exception {
		given(this.writeKeys.authenticate(any())).willReturn(Optional.of(new WriteKeyOwner("busy", "web")));

		for (int i = 0; i < 2; i++) {
			this.mvc.perform(track()).andExpect(status().isOk());
		}
		this.mvc.perform(track())
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Retry-After", "1"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/rate-limited"));
	}

	@Test
	void browserSdkSettingsPointTheSdkAtThisHost() throws Exception {
		given(this.writeKeys.authenticate("wk")).willReturn(Optional.of(new WriteKeyOwner("demo", "web")));
		given(this.writeKeys.authenticate("nope")).willReturn(Optional.empty());

		this.mvc.perform(get("/v1/projects/wk/settings").header("Host", "cdp.example.com"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.integrations['Segment.io'].apiKey").value("wk"))
			.andExpect(jsonPath("$.integrations['Segment.io'].apiHost").value("cdp.example.com/v1"))
			.andExpect(jsonPath("$.integrations['Segment.io'].protocol").value("http"));
		this.mvc.perform(get("/v1/projects/nope/settings"))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.type").value("https://lodestar.io/problems/unknown-write-key"));
	}

	private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder track() {
		return post("/v1/track").contentType(MediaType.APPLICATION_JSON)
			.header("Authorization", CollectorSlice.basic("k"))
			.content("{\"userId\":\"u\",\"event\":\"x\"}");
	}

}
