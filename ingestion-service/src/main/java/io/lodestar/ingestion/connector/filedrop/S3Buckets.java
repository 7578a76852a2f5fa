package io.lodestar.ingestion.connector.filedrop;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.stereotype.Component;

import io.lodestar.ingestion.connector.ConnectorProperties;
import io.lodestar.ingestion.connector.ConnectorSettings;
import io.lodestar.ingestion.connector.Credentials;
import io.lodestar.ingestion.connector.FieldErrors;
import io.lodestar.ingestion.connector.SourceAuthenticationException;

/**
 * S3-compatible buckets as drop locations: ListObjectsV2 under a prefix (every page), the
 * ETag as the object's version, GetObject to read it. Settings: {@code bucket},
 * {@code prefix}, {@code region}, {@code endpoint} (MinIO, Ceph, another S3-compatible
 * store; path-style addressing), {@code pattern} (a glob on the key's last part).
 * Credentials: {@code accessKeyId}, {@code secretAccessKey}.
 */
@Component
class S3Buckets {

	private final ConnectorProperties.FileDrop fileDrop;

	S3Buckets(ConnectorProperties properties) {
		this.fileDrop = properties.fileDrop();
	}

	static void validate(ConnectorSettings settings, Credentials credentials, FieldErrors errors) {
		settings.requireText(errors, "bucket", "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name");
		settings.text("endpoint").ifPresent((endpoint) -> {
			if (!endpoint.matches("https?://[^\\s/]+(/.*)?")) {
				errors.add("settings.endpoint", "must be an http(s) URL");
			}
		});
		credentials.require(errors, "accessKeyId", "secretAccessKey");
	}

	DropLocation location(ConnectorSettings settings, Credentials credentials) {
		String endpoint = (this.fileDrop.s3Endpoint() != null && !this.fileDrop.s3Endpoint().isBlank())
				? this.fileDrop.s3Endpoint() : settings.text("endpoint").orElse(null);
		var builder = S3Client.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.of(settings.text("region").orElse("us-east-1")))
			.credentialsProvider(StaticCredentialsProvider.create(
					AwsBasicCredentials.create(credentials.get("accessKeyId"), credentials.get("secretAccessKey"))));
		if (endpoint != null) {
			builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
		}
		return new Bucket(builder.build(), settings.requiredText("bucket"), settings.text("prefix").orElse(""),
				settings.text("pattern").orElse("*"));
	}

	/** One bucket and prefix. */
	private static final class Bucket implements DropLocation {

		private final S3Client s3;

		private final String bucket;

		private final String prefix;

		private final java.nio.file.PathMatcher matcher;

		Bucket(S3Client s3, String bucket, String prefix, String glob) {
			this.s3 = s3;
			this.bucket = bucket;
			this.prefix = prefix;
			this.matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
		}

		@Override
		public List<DropObject> list() throws IOException {
			List<DropObject> objects = new ArrayList<>();
			String token = null;
			try {
				do {
					ListObjectsV2Response page = this.s3.listObjectsV2(ListObjectsV2Request.builder()
						.bucket(this.bucket)
						.prefix(this.prefix)
						.continuationToken(token)
						.build());
					for (S3Object object : page.contents()) {
						String key = object.key();
						String name = key.substring(key.lastIndexOf('/') + 1);
						if (key.endsWith("/") || name.isEmpty() || !this.matcher.matches(java.nio.file.Path.of(name))) {
							continue;
						}
						objects.add(new DropObject(key, object.eTag().replace("\"", ""), object.size()));
					}
					token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
				}
				while (token != null);
			}
			catch (S3Exception ex) {
				throw translate(ex);
			}
			catch (SdkException ex) {
				throw new IOException("S3 bucket " + this.bucket + " could not be listed: " + ex.getMessage(), ex);
			}
			objects.sort(java.util.Comparator.comparing(DropObject::key));
			return objects;
		}

		@Override
		public InputStream open(DropObject object) throws IOException {
			try {
				return this.s3.getObject(GetObjectRequest.builder()
					.bucket(this.bucket)
					.key(object.key())
					.ifMatch("\"" + object.etag() + "\"")
					.build());
			}
			catch (S3Exception ex) {
				throw translate(ex);
			}
			catch (SdkException ex) {
				throw new IOException("S3 object " + object.key() + " could not be read: " + ex.getMessage(), ex);
			}
		}

		@Override
		public void close() {
			this.s3.close();
		}

		private RuntimeException translate(S3Exception ex) {
			if (ex.statusCode() == 401 || ex.statusCode() == 403) {
				return new SourceAuthenticationException(
						"S3 refused the access key for bucket " + this.bucket + " (HTTP " + ex.statusCode()
								+ (ex.awsErrorDetails() != null ? ", " + ex.awsErrorDetails().errorCode() : "") + ")");
			}
			return new IllegalStateException("S3 answered HTTP " + ex.statusCode() + " for bucket " + this.bucket
					+ (ex.awsErrorDetails() != null ? " (" + ex.awsErrorDetails().errorCode() + ")" : ""));
		}

	}

}
