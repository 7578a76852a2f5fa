package io.lodestar.profile.analytics;

import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends a rendered report as an e-mail attachment through the SMTP server configured with
 * {@code spring.mail.*} ({@code LODESTAR_SMTP_HOST} …). Without one, sending fails with a
 * clear reason instead of pretending.
 */
@Component
class ReportMailer {

	private final ObjectProvider<JavaMailSender> senders;

	private final ReportProperties properties;

	ReportMailer(ObjectProvider<JavaMailSender> senders, ReportProperties properties) {
		this.senders = senders;
		this.properties = properties;
	}

	/** The configured sender; {@code spring.mail.host} left empty means none. */
	private JavaMailSender sender() {
		JavaMailSender sender = this.senders.getIfAvailable();
		if (sender instanceof JavaMailSenderImpl impl && (impl.getHost() == null || impl.getHost().isBlank())) {
			return null;
		}
		return sender;
	}

	/**
	 * @throws ReportDeliveryException when no SMTP server is configured or it refused
	 */
	void send(List<String> recipients, String subject, String body, String fileName, String contentType,
			byte[] attachment) {
		JavaMailSender sender = sender();
		if (sender == null) {
			throw new ReportDeliveryException("no SMTP server is configured (LODESTAR_SMTP_HOST)");
		}
		try {
			MimeMessage message = sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
			helper.setFrom(this.properties.from());
			helper.setTo(recipients.toArray(String[]::new));
			helper.setSubject(subject);
			helper.setText(body);
			helper.addAttachment(fileName, new ByteArrayResource(attachment), contentType);
			sender.send(message);
		}
		catch (MessagingException | MailException ex) {
			throw new ReportDeliveryException(
					"the SMTP server did not take the message: " + ex.getClass().getSimpleName());
		}
	}

	/** A report that could not be delivered; the message is safe to store and show. */
	static class ReportDeliveryException extends RuntimeException {

		ReportDeliveryException(String message) {
			super(message);
		}

	}

}
