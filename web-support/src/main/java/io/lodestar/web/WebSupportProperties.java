package io.lodestar.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the shared web support, prefix {@code lodestar.web}.
 *
 * @param serviceSecret the HMAC secret the gateway signs its assertions with
 * ({@code LODESTAR_SERVICE_SECRET}, at least 32 bytes); set, a request's workspace is
 * accepted only when the gateway vouched for it; empty, the workspace header is trusted
 * (service ports must then stay private)
 */
@ConfigurationProperties("lodestar.web")
public record WebSupportProperties(@DefaultValue("") String serviceSecret) {
}
