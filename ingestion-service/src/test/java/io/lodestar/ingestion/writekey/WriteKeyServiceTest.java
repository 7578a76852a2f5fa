package io.lodestar.ingestion.writekey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.lodestar.ingestion.system.IngestionProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class WriteKeyServiceTest {

	private final WriteKeyRepository keys = mock(WriteKeyRepository.class);

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-24T12:00:00Z"));

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return WriteKeyServiceTest.this.now.get();
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	};

	private final IngestionProperties properties = new IngestionProperties(
			new IngestionProperties.Bootstrap("boot-key", "demo", "default"), null, null, Duration.ofSeconds(10), null);

	private final WriteKeyService service = new WriteKeyService(this.keys, this.properties, this.clock);

	@Test
	void keysAreLookedUpByTheirHashNeverInClear() {
		given(this.keys.findById(WriteKeyService.hash("k1")))
			.willReturn(Optional.of(new WriteKeyEntity(WriteKeyService.hash("k1"), "ws", "web", this.now.get())));

		assertThat(this.service.authenticate("k1")).contains(new WriteKeyOwner("ws", "web"));
		assertThat(this.service.authenticate("k2")).isEmpty();
		assertThat(WriteKeyService.hash("k1")).hasSize(64).doesNotContain("k1");
	}

	@Test
	void lookupsAreCachedForAShortTime() {
		given(this.keys.findById(any())).willReturn(Optional.empty());

		this.service.authenticate("k1");
		this.service.authenticate("k1");
		verify(this.keys, times(1)).findById(WriteKeyService.hash("k1"));

		this.now.set(this.now.get().plus(WriteKeyService.CACHE_TTL).plusSeconds(1));
		this.service.authenticate("k1");
		verify(this.keys, times(2)).findById(WriteKeyService.hash("k1"));
	}

	@Test
	void blankOrAbsurdKeysAreRefusedWithoutAQuery() {
		assertThat(this.service.authenticate(null)).isEmpty();
		assertThat(this.service.authenticate(" ")).isEmpty();
		assertThat(this.service.authenticate("k".repeat(300))).isEmpty();
		verify(this.keys, never()).findById(any());
	}

	@Test
	void bootstrapKeyIsCreatedOnceHashed() {
		given(this.keys.existsById(WriteKeyService.hash("boot-key"))).willReturn(false, true);

		this.service.createBootstrapKey();
		this.service.createBootstrapKey();

		verify(this.keys, times(1)).save(any());
	}

}
