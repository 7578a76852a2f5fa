package io.lodestar.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for a service behind the gateway: it answers 200
 * {@code {"success":true}} and records what reached it.
 */
public final class StubService implements AutoCloseable {

	private static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();

	private final HttpServer server;

	private StubService(HttpServer server) {
		this.server = server;
	}

	/**
	 * @param service the name recorded with each request
	 * @return the started server on a free loopback port
	 */
	public static StubService start(String service) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				RECEIVED.add(new Received(service, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
						exchange.getRequestURI().getQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
						exchange.getRequestHeaders().getFirst("X-Lodestar-Workspace"),
						exchange.getRequestHeaders().getFirst("X-Lodestar-Actor"),
						exchange.getRequestHeaders().getFirst("X-Request-Id"), body));
				byte[] answer = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, answer.length);
				exchange.getResponseBody().write(answer);
				exchange.close();
			});
			server.start();
			return new StubService(server);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * @return the next request any stub received, or null after five seconds
	 */
	public static Received next() throws InterruptedException {
		return RECEIVED.poll(5, TimeUnit.SECONDS);
	}

	public static boolean nothingReceived() {
		return RECEIVED.isEmpty();
	}

	public static void clear() {
		RECEIVED.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/**
	 * A request as a service saw it.
	 */
	public record Received(String service, String method, String path, String query, String authorization,
			String workspace, String actor, String requestId, String body) {
	}

}
