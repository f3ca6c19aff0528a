package dev.cryo.testprograms;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small stateful HTTP service: its state lives only in memory, so it survives a kill only if the
 * process is checkpointed and restored. Used by the demo and the integration tests.
 *
 * <pre>
 *   GET /increment   adds one to the counter and returns the new value
 *   GET /count       returns the counter
 *   GET /pid         returns the server's PID
 *   GET /remember/T  keeps the text T in memory (and nowhere else), and returns it
 *   GET /remembered  returns the text kept
 *   GET /host        this host's name, from /etc/hostname at each request
 * </pre>
 *
 * Usage: {@code java -cp cryo-test-programs.jar dev.cryo.testprograms.CounterServer PORT [ADDRESS]}
 * (ADDRESS: the loopback address unless given); it prints "ready PORT" once it serves. Connections
 * are kept alive, so one client connection can span a checkpoint and a restore.
 */
public final class CounterServer {
  private CounterServer() {}

  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    InetAddress address =
        args.length > 1 ? InetAddress.getByName(args[1]) : InetAddress.getLoopbackAddress();
    // The JDK server closes idle keep-alive connections after 30 s by default; a restore may
    // come later than that and the demo keeps one connection across it.
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
    // Headers and body go out in two writes: without TCP_NODELAY the body waits for the client's
    // delayed acknowledgement (about 40 ms) on a kept-alive connection.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    AtomicLong counter = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
    server.createContext("/increment", ex -> TextReply.send(ex, counter.incrementAndGet() + "\n"));
    server.createContext("/count", ex -> TextReply.send(ex, counter.get() + "\n"));
    AtomicReference<String> remembered = new AtomicReference<>("");
    server.createContext(
        "/remember/",
        ex -> {
          // A copy of its own, apart from the request's buffers: the state a checkpoint must keep.
          String text = new String(ex.getRequestURI().getPath().substring("/remember/".length()));
          remembered.set(text);
          TextReply.send(ex, text + "\n");
        });
    server.createContext("/remembered", ex -> TextReply.send(ex, remembered.get() + "\n"));
    server.createContext("/pid", ex -> TextReply.send(ex, ProcessHandle.current().pid() + "\n"));
    // Read at each request: a program moved to another host (a mount namespace of its own on the
    // test bed) reports where it runs now.
    server.createContext(
        "/host",
        ex -> TextReply.send(ex, Files.readString(Path.of("/etc/hostname")).trim() + "\n"));
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.out.println("ready " + server.getAddress().getPort());
    System.out.flush();
  }
}
