package io.lodestar.gateway.access;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import io.lodestar.gateway.system.GatewayProblem;

/**
 * The workspace's audit log, newest first, paged by entry id.
 */
@RestController
class AuditController {

	private final AuditLog audit;

	AuditController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/v1/audit")
	Mono<Page> list(@RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) Long before,
			ServerWebExchange exchange) {
		String workspace = Caller.workspaceOf(exchange);
		if (limit < 1 || limit > 1000) {
			return Mono.error(GatewayProblem.badRequest("limit must be between 1 and 1000"));
		}
		return Blocking.call(() -> {
			List<AuditLog.Recorded> entries = this.audit.list(workspace, limit, before);
			Long next = (entries.size() == limit) ? entries.get(entries.size() - 1).id() : null;
			return new Page(entries, next);
		});
	}

	/**
	 * @param entries newest first
	 * @param next pass as {@code before} for the next page; null at the end
	 */
	record Page(List<AuditLog.Recorded> entries, Long next) {
	}

}
