package io.lodestar.etl.lake;

import org.junit.jupiter.api.Test;

import io.lodestar.etl.system.EtlProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure parts of the lake: SQL literals of erased identifiers, the warehouse location.
 */
class LakeEraserTest {

	@Test
	void identifiersBecomeEscapedStringLiterals() {
		assertThat(LakeEraser.literal("u-1")).isEqualTo("'u-1'");
		assertThat(LakeEraser.literal("o'brien")).isEqualTo("'o\\'brien'");
		assertThat(LakeEraser.literal("a\\' OR true --")).isEqualTo("'a\\\\\\' OR true --'");
	}

	@Test
	void aPlainWarehousePathBecomesAnAbsoluteFileUriAndUrisPassThrough() {
		assertThat(new EtlProperties.Lake("var/lake").location()).startsWith("file:/").contains("/var/lake");
		assertThat(new EtlProperties.Lake("s3a://bucket/lake").location()).isEqualTo("s3a://bucket/lake");
		assertThat(new EtlProperties.Lake("hdfs://nn:8020/lake").location()).isEqualTo("hdfs://nn:8020/lake");
	}

}
