package io.lodestar.contracts.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LookupParameterTest {

	@Test
	void eachParameterLooksUpItsIdentifierKindAsThePipelineStoresIt() {
		assertThat(LookupParameter.EMAIL.parameter()).isEqualTo("email");
		assertThat(LookupParameter.EMAIL.kind()).isEqualTo(IdentifierKind.EMAIL_SHA256);
		assertThat(LookupParameter.EMAIL.storedValue(" Ada@Lovelace.IO "))
			.contains(Identifiers.sha256("ada@lovelace.io"));
		assertThat(LookupParameter.USER_ID.storedValue("u-42")).contains("u-42");
		assertThat(LookupParameter.DEVICE_ID.kind()).isEqualTo(IdentifierKind.DEVICE_ID);
		assertThat(LookupParameter.CUSTOMER_ID.parameter()).isEqualTo("customerId");
	}

	@Test
	void valuesThatIdentifyNobodyHaveNoStoredForm() {
		assertThat(LookupParameter.USER_ID.storedValue("undefined")).isEmpty();
		assertThat(LookupParameter.EMAIL.storedValue("not an address")).isEmpty();
		assertThat(LookupParameter.DEVICE_ID.storedValue("00000000-0000-0000-0000-000000000000")).isEmpty();
	}

}
