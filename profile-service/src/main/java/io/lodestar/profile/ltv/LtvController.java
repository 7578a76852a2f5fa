package io.lodestar.profile.ltv;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.lodestar.web.BadRequestException;
import io.lodestar.web.Problems;
import io.lodestar.web.Workspace;

/**
 * {@code /v1/ltv}: fit the workspace's LTV models now, their history, and the
 * distribution of predicted spend.
 */
@RestController
@RequestMapping("/v1/ltv")
class LtvController {

	private final LtvService ltv;

	private final LtvProperties properties;

	LtvController(LtvService ltv, LtvProperties properties) {
		this.ltv = ltv;
		this.properties = properties;
	}

	@PostMapping("/models")
	LtvModelView fit(Workspace workspace) {
		return this.ltv.fit(workspace.id())
			.orElseThrow(() -> new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT,
					Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "not-enough-data", "Not enough data",
							"an LTV model needs purchases (" + String.join(", ", this.properties.purchaseEvents())
									+ ") of at least " + this.properties.minimumCustomers() + " customers"),
					null));
	}

	@GetMapping("/models")
	List<LtvModelView> history(Workspace workspace, @RequestParam(defaultValue = "20") int limit) {
		if (limit < 1 || limit > 200) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "limit must be 1-200");
		}
		return this.ltv.history(workspace.id(), limit);
	}

	@GetMapping("/distribution")
	Map<String, Object> distribution(Workspace workspace, @RequestParam(defaultValue = "20") int bins) {
		if (bins < 1 || bins > 100) {
			throw new BadRequestException("invalid-parameter", "Invalid parameter", "bins must be 1-100");
		}
		return this.ltv.distribution(workspace.id(), bins);
	}

}
