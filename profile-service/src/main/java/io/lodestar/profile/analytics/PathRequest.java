package io.lodestar.profile.analytics;

/**
 * A path question: from each profile's first {@code start} event in the range, the next
 * steps (or, with {@code end}, the steps before its first {@code end} event).
 *
 * @param start the event paths start from; exactly one of start and end
 * @param end the event paths lead to
 * @param depth steps after (or before) the anchor, 1-5, default 4
 * @param top the most frequent labels kept per step, 1-20, default 5; the rest is "other"
 * @param from the range's start; default 30 days before {@code to}
 * @param to the range's end; default today
 * @param collapseRepeats consecutive repeats of one label count once (default true)
 */
record PathRequest(EventMatch start, EventMatch end, Integer depth, Integer top, String from, String to,
		Boolean collapseRepeats) {

	int effectiveDepth() {
		return (this.depth != null) ? this.depth : 4;
	}

	int effectiveTop() {
		return (this.top != null) ? this.top : 5;
	}

	boolean collapsing() {
		return this.collapseRepeats == null || this.collapseRepeats;
	}

	boolean forward() {
		return this.start != null;
	}

	EventMatch anchor() {
		return forward() ? this.start : this.end;
	}

	PathRequest validate() {
		if ((this.start == null) == (this.end == null)) {
			throw Invalid.at("/start", "give exactly one of start and end");
		}
		anchor().validate(forward() ? "/start" : "/end");
		if (effectiveDepth() < 1 || effectiveDepth() > 5) {
			throw Invalid.at("/depth", "depth is 1-5");
		}
		if (effectiveTop() < 1 || effectiveTop() > 20) {
			throw Invalid.at("/top", "top is 1-20");
		}
		return this;
	}

}
