package io.lodestar.gateway.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On the first start (no user yet) creates the administrator: with the configured
 * password, or with a random one printed once on the console.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

	private final Users users;

	private final SecurityProperties.Admin admin;

	AdminBootstrap(Users users, SecurityProperties properties) {
		this.users = users;
		this.admin = properties.admin();
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.users.any()) {
			return;
		}
		boolean generated = this.admin.password().isBlank();
		String password = generated ? Secrets.random("").substring(0, 24) : this.admin.password();
		if (this.users.createMember(this.admin.username(), password, this.admin.workspace(), Role.ADMIN).isEmpty()) {
			return;
		}
		log.info("Created the administrator of workspace {}", this.admin.workspace());
		if (generated) {
			System.out.printf("%n  Lodestar administrator created — user %s, password %s (shown once; change it with "
					+ "PUT /v1/auth/password)%n%n", this.admin.username(), password);
		}
	}

}
