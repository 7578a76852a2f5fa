package io.lodestar.gateway.routing;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the services are, prefix {@code lodestar.gateway}.
 *
 * @param ingestionUrl the collector
 * @param profileUrl profile-service
 * @param segmentUrl segment-service
 * @param recommenderUrl recommender-service
 * @param etlUrl etl-service
 */
@ConfigurationProperties("lodestar.gateway")
public record GatewayProperties(URI ingestionUrl, URI profileUrl, URI segmentUrl, URI recommenderUrl, URI etlUrl) {
}
