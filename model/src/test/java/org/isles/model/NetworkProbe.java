package org.isles.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Child-JVM main for {@link OfflinePyTorchTest}: every {@link Socket} the JVM opens (which is how
 * {@code URL} connections reach the network, with or without a proxy) records its destination and
 * is refused, so nothing leaves the machine. It loads the PyTorch engine, computes one value, then
 * prints the recorded destinations, one per line.
 *
 * <p>Argument {@code offline} goes through {@link OfflinePyTorch}; {@code plain} asks DJL's
 * {@link Engine} directly, as a control that the recorder sees DJL's usual network calls.
 */
public final class NetworkProbe {
  private static final List<String> ATTEMPTS = new CopyOnWriteArrayList<>();

  private NetworkProbe() {}

  public static void main(String[] args) throws IOException {
    Socket.setSocketImplFactory(RefusingSocket::new);
    boolean offline = args[0].equals("offline");
    try (NDManager manager = offline ? OfflinePyTorch.newBaseManager() : Engine.getEngine("PyTorch").newBaseManager()) {
      if (manager.create(new float[] {1, 2}).sum().getFloat() != 3f) {
        throw new IllegalStateException("PyTorch engine computed a wrong sum");
      }
    }
    ATTEMPTS.forEach(System.out::println);
  }

  /** A socket that only records where it was asked to connect. */
  private static final class RefusingSocket extends SocketImpl {
    private static IOException refuse(Object destination) {
      ATTEMPTS.add(String.valueOf(destination));
      return new ConnectException("network probe refuses " + destination);
    }

    @Override
    protected void create(boolean stream) {}

    @Override
    protected void connect(String host, int port) throws IOException {
      throw refuse(host + ":" + port);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
      throw refuse(address + ":" + port);
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
      throw refuse(address);
    }

    @Override
    protected void bind(InetAddress host, int port) {}

    @Override
    protected void listen(int backlog) throws IOException {
      throw new IOException("network probe sockets cannot listen");
    }

    @Override
    protected void accept(SocketImpl socket) throws IOException {
      throw new IOException("network probe sockets cannot accept");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
      throw new IOException("network probe sockets are never connected");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
      throw new IOException("network probe sockets are never connected");
    }

    @Override
    protected int available() {
      return 0;
    }

    @Override
    protected void close() {}

    @Override
    protected void sendUrgentData(int data) throws IOException {
      throw new IOException("network probe sockets are never connected");
    }

    @Override
    public void setOption(int optionId, Object value) {}

    @Override
    public Object getOption(int optionId) {
      return 0;
    }
  }
}
