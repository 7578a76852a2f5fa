package io.lodestar.ingestion.collector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with a size limit, gunzipping it when the client sent
 * {@code Content-Encoding: gzip}. The limit applies to the decompressed size, so a small
 * compressed body cannot expand without bound.
 */
final class RequestBodies {

	private RequestBodies() {
	}

	static byte[] read(InputStream in, String contentEncoding, int limit) throws IOException {
		boolean gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
		if (contentEncoding != null && !contentEncoding.isBlank() && !gzip
				&& !contentEncoding.trim().equalsIgnoreCase("identity")) {
			throw CollectorException.malformed("unsupported Content-Encoding: " + contentEncoding);
		}
		try (InputStream body = gzip ? new GZIPInputStream(in) : in) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
			byte[] buffer = new byte[16 * 1024];
			int read;
			while ((read = body.read(buffer)) != -1) {
				if (out.size() + read > limit) {
					throw CollectorException.tooLarge("the request body is larger than " + limit / 1000 + " KB");
				}
				out.write(buffer, 0, read);
			}
			return out.toByteArray();
		}
		catch (ZipException | java.io.EOFException ex) {
			throw CollectorException.malformed("the body is not valid gzip");
		}
	}

}
