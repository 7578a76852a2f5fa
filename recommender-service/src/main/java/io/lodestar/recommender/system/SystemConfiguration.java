package io.lodestar.recommender.system;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Typed settings and the background work (candidate polling, model reloads, catalogue
 * refreshes, the answer log, the erasure sweep) on Spring's scheduler.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(RecommenderProperties.class)
class SystemConfiguration {

}
