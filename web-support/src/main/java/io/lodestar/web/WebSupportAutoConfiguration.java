package io.lodestar.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Registers the problem handler and the workspace argument resolver in every servlet web
 * application (and web slice test) that has this module.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({ ProblemHandler.class, WorkspaceArgumentResolver.class })
@EnableConfigurationProperties(WebSupportProperties.class)
public class WebSupportAutoConfiguration {

}
