package io.lodestar.profile.lake;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the lake is, prefix {@code lodestar.profile.lake}.
 *
 * @param url etl-service's base URL, whose internal lake API reads and erases lake rows;
 * none means this deployment has no lake to reach
 */
@ConfigurationProperties("lodestar.profile.lake")
public record LakeProperties(URI url) {
}
