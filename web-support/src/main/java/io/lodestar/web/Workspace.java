package io.lodestar.web;

/**
 * The caller's workspace, from the {@value #HEADER} header (set by the gateway once it
 * authenticates callers). Every query is scoped to it.
 *
 * @param id the workspace id
 */
public record Workspace(String id) {

	public static final String HEADER = "X-Lodestar-Workspace";

}
