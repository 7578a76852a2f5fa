package io.lodestar.stack.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of a load generator: a blocking socket, the request
 * written as one buffer, the answer read by Content-Length or chunks. About a tenth of
 * the CPU the JDK's {@code HttpClient} takes per request, which on a 2-core machine the
 * measured services get instead (the generator shares the machine with them). Reconnects
 * after an error or a {@code Connection: close}. Not thread-safe: one per generator
 * thread.
 */
final class HttpConnection implements AutoCloseable {

	private final String host;

	private final int port;

	private final String headers;

	private Socket socket;

	private InputStream in;

	private OutputStream out;

	/**
	 * @param baseUrl {@code http://host:port}
	 * @param headers extra request headers, each {@code Name: value\r\n}
	 */
	HttpConnection(String baseUrl, String headers) {
		URI uri = URI.create(baseUrl);
		this.host = uri.getHost();
		this.port = uri.getPort();
		this.headers = "Host: " + this.host + ":" + this.port + "\r\n" + headers + "\r\n";
	}

	/**
	 * @param path the path and query
	 * @return the answer, or null when the connection failed (it reconnects next time)
	 */
	Answer get(String path) {
		try {
			if (this.socket == null) {
				this.socket = new Socket(this.host, this.port);
				this.socket.setTcpNoDelay(true);
				this.socket.setSoTimeout(30_000);
				this.in = new BufferedInputStream(this.socket.getInputStream(), 16384);
				this.out = this.socket.getOutputStream();
			}
			this.out.write(("GET " + path + " HTTP/1.1\r\n" + this.headers).getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
			String status = line();
			int contentLength = -1;
			boolean chunked = false;
			boolean close = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				String name = header.substring(0, Math.max(0, header.indexOf(':'))).toLowerCase(Locale.ROOT);
				String value = header.substring(header.indexOf(':') + 1).trim();
				switch (name) {
					case "content-length" -> contentLength = Integer.parseInt(value);
					case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
					case "connection" -> close = value.equalsIgnoreCase("close");
					default -> {
					}
				}
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
			if (chunked) {
				for (int size = chunkSize(); size > 0; size = chunkSize()) {
					body.write(this.in.readNBytes(size));
					line();
				}
				line();
			}
			else if (contentLength >= 0) {
				body.write(this.in.readNBytes(contentLength));
			}
			if (close) {
				close();
			}
			int code = (status.length() >= 12) ? Integer.parseInt(status.substring(9, 12)) : 0;
			return new Answer(code, body.toByteArray());
		}
		catch (IOException | RuntimeException ex) {
			close();
			return null;
		}
	}

	private int chunkSize() throws IOException {
		return Integer.parseInt(line().split(";")[0].trim(), 16);
	}

	private String line() throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int c = this.in.read(); c != '\n'; c = this.in.read()) {
			if (c < 0) {
				throw new EOFException("connection closed");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
			this.socket = null;
		}
	}

	/**
	 * @param status the status code
	 * @param body the body
	 */
	record Answer(int status, byte[] body) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
