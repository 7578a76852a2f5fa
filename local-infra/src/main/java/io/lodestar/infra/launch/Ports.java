package io.lodestar.infra.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback port checks.
 */
public final class Ports {

	private Ports() {
	}

	/**
	 * A port that is free on 127.0.0.1 right now.
	 * @return the port number
	 */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new LaunchException("no free port on 127.0.0.1", ex);
		}
	}

	/**
	 * Whether something listens on a loopback port.
	 * @param port the port
	 * @return true when a connection is accepted
	 */
	public static boolean inUse(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Fails with a clear message when a port is taken.
	 * @param port the port
	 * @param what what was meant to listen there
	 */
	public static void requireFree(int port, String what) {
		if (inUse(port)) {
			throw new LaunchException("port 127.0.0.1:" + port + " (" + what
					+ ") is already in use: stop what listens there, or choose another port");
		}
	}

}
