package io.lodestar.gateway.routing;

import java.util.Set;

/**
 * The collector's public paths: the Segment tracking API, which authenticates with write
 * keys in the collector itself.
 */
public final class CollectorPaths {

	/**
	 * The long routes with and without a trailing slash (the Segment Java client posts to
	 * /v1/import/), the browser SDK's one-letter routes and its settings.
	 */
	public static final String[] ALL = { "/v1/track", "/v1/identify", "/v1/page", "/v1/screen", "/v1/group",
			"/v1/alias", "/v1/batch", "/v1/import", "/v1/track/", "/v1/identify/", "/v1/page/", "/v1/screen/",
			"/v1/group/", "/v1/alias/", "/v1/batch/", "/v1/import/", "/v1/t", "/v1/i", "/v1/p", "/v1/s", "/v1/g",
			"/v1/a", "/v1/b", "/v1/projects/**" };

	private static final Set<String> EVENT_PATHS = Set.of(ALL);

	private CollectorPaths() {
	}

	/**
	 * @param path a request path
	 * @return whether it posts events (as opposed to reading SDK settings)
	 */
	public static boolean postsEvents(String path) {
		return EVENT_PATHS.contains(path);
	}

}
