package io.lodestar.segment.rule;

import java.util.List;

/**
 * A rule that cannot be used, with every problem found and where.
 */
public class RuleException extends RuntimeException {

	private final List<RuleError> errors;

	public RuleException(List<RuleError> errors) {
		super(errors.size() + " problem(s) in the rule, first: " + errors.get(0).pointer() + " "
				+ errors.get(0).reason());
		this.errors = List.copyOf(errors);
	}

	public List<RuleError> errors() {
		return this.errors;
	}

	/**
	 * @param pointer a JSON pointer into the request body
	 * @param reason what is wrong there
	 */
	public record RuleError(String pointer, String reason) {
	}

}
