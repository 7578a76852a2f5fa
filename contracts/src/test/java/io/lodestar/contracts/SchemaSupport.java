package io.lodestar.contracts;

import java.util.Set;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Loads the contracts' JSON Schemas from the classpath, resolving their {@code $id}s and
 * relative {@code $ref}s there.
 */
final class SchemaSupport {

	static final String ID_PREFIX = "https://schemas.lodestar.io/";

	private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
			(builder) -> builder.schemaMappers((mappers) -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));

	private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
		.formatAssertionsEnabled(true)
		.build();

	private SchemaSupport() {
	}

	static Set<ValidationMessage> validate(String resource, String json) {
		String id = ID_PREFIX + resource.substring("schemas/".length());
		JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(id), CONFIG);
		return schema.validate(json, InputFormat.JSON);
	}

}
