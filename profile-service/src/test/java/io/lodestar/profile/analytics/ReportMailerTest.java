package io.lodestar.profile.analytics;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportMailerTest {

	private final ReportProperties properties = new ReportProperties("reports@lodestar.local", Duration.ofSeconds(30));

	@Test
	void withoutAnSmtpServerSendingFailsSayingSo() {
		ReportMailer mailer = new ReportMailer(new StaticListableBeanFactory().getBeanProvider(JavaMailSender.class),
				this.properties);

		assertThatThrownBy(() -> mailer.send(List.of("a@b.example"), "s", "b", "r.csv", "text/csv", new byte[1]))
			.isInstanceOf(ReportMailer.ReportDeliveryException.class)
			.hasMessageContaining("LODESTAR_SMTP_HOST");
	}

	@Test
	void anEmptyHostIsNoServer() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("mailSender", new JavaMailSenderImpl());
		ReportMailer mailer = new ReportMailer(beans.getBeanProvider(JavaMailSender.class), this.properties);

		assertThatThrownBy(() -> mailer.send(List.of("a@b.example"), "s", "b", "r.csv", "text/csv", new byte[1]))
			.hasMessageContaining("no SMTP server is configured");
	}

	@Test
	void aRefusingServerIsAFailedDeliveryWithoutItsInternals() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		// nothing listens on port 1
		sender.setPort(1);
		beans.addBean("mailSender", sender);
		ReportMailer mailer = new ReportMailer(beans.getBeanProvider(JavaMailSender.class), this.properties);

		assertThatThrownBy(() -> mailer.send(List.of("a@b.example"), "s", "b", "r.csv", "text/csv", new byte[1]))
			.isInstanceOf(ReportMailer.ReportDeliveryException.class)
			.hasMessageStartingWith("the SMTP server did not take the message");
	}

}
