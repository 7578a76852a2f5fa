package io.lodestar.web;

import java.util.List;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves a {@link Workspace} controller argument from the request header; a missing or
 * malformed header is a 400 problem.
 */

public class WorkspaceArgumentResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

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
		if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
			throw new BadRequestException("invalid-workspace", "Invalid workspace",
					"the " + Workspace.HEADER + " header must be 1-64 letters, digits, '.', '_' or '-'");
		}
		return new Workspace(id);
	}

}
