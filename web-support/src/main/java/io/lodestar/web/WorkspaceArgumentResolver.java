package io.lodestar.web;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves a {@link Workspace} controller argument from the request header; a missing or
 * malformed header is a 400 problem. With {@code lodestar.web.service-secret} set, the
 * workspace must also carry the gateway's signed word ({@link ServiceAssertionVerifier}),
 * else 401: a caller who reaches the service directly cannot pick a workspace.
 */

public class WorkspaceArgumentResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

	private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private final ServiceAssertionVerifier verifier;

	private final Clock clock = Clock.systemUTC();

	public WorkspaceArgumentResolver(WebSupportProperties properties) {
		this.verifier = properties.serviceSecret().isEmpty() ? null
				: new ServiceAssertionVerifier(properties.serviceSecret());
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Workspace.class.equals(parameter.getParameterType());
	}

	@Override
	public Workspace resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest request, WebDataBinderFactory binderFactory) {
		String id = request.getHeader(Workspace.HEADER);
		if (id == null || id.isBlank()) {
			throw new BadRequestException("missing-workspace", "Workspace required",
					"the " + Workspace.HEADER + " header is required");
		}
		if (!WORKSPACE_ID.matcher(id).matches()) {
			throw new BadRequestException("invalid-workspace", "Invalid workspace",
					"the " + Workspace.HEADER + " header must be 1-64 letters, digits, '.', '_' or '-'");
		}
		if (this.verifier != null) {
			this.verifier.verify(request.getHeader(ServiceAssertionVerifier.HEADER), id, this.clock.instant());
		}
		return new Workspace(id);
	}

}
