package io.lodestar.profile.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths as a Sankey chart takes them: nodes per step and the links between them.
 *
 * @param from the range's start
 * @param to the range's end
 * @param direction {@code after} the start event or {@code before} the end event
 * @param profiles profiles whose paths are counted (those with the anchor event in range)
 * @param nodes every (step, label); step 0 is the anchor
 * @param links profiles going from one node to the next
 * @param durationMs how long the query took
 */
record PathResult(Instant from, Instant to, String direction, long profiles, List<Node> nodes, List<Link> links,
		long durationMs) implements Table.Exportable {

	static final String OTHER = "other";

	/**
	 * @param id {@code <step>:<label>}, unique
	 * @param step 0 for the anchor, 1 … depth away from it
	 * @param label the event's name, {@code page <path>}, {@code screen <name>}, or
	 * "other"
	 * @param profiles profiles at this node
	 * @param dropOff of those, the ones whose path ends here
	 */
	record Node(String id, int step, String label, long profiles, long dropOff) {
	}

	/**
	 * @param source the node a step comes from
	 * @param target the node it goes to
	 * @param profiles profiles taking it
	 */
	record Link(String source, String target, long profiles) {
	}

	@Override
	public Table table() {
		List<List<Object>> rows = new ArrayList<>();
		for (Link link : this.links) {
			rows.add(List.of(link.source(), link.target(), link.profiles()));
		}
		return new Table(List.of("source", "target", "profiles"), rows);
	}

}
