package io.datashard.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * An HTTP proxy between the S3 client and a real server that injects network and server faults
 * into chosen requests. It relays raw bytes (so SigV4 signatures stay valid), one request per
 * connection ({@code Connection: close}).
 */
final class FaultProxy implements AutoCloseable {
  /** What to do with a request. */
  enum Fault {
    /** Relay it. */
    PASS,
    /** Read part of the body, then reset the connection (TCP RST); the server never sees it. */
    RESET,
    /** Relay it, let the server apply it, then answer the client 500 InternalError instead. */
    ERROR_AFTER_WRITE,
    /** Answer 503 SlowDown without relaying it. */
    THROTTLE,
    /** Relay it without its If-None-Match header, like a server that ignores the header. */
    STRIP_IF_NONE_MATCH
  }

  /** A request seen: method, target, the fault applied and the server's status (0 if not relayed). */
  record Seen(String method, String target, Fault fault, int status) {}

  private final ServerSocket server;
  private final URI backend;
  private final BiFunction<String, String, Fault> rule;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

  /** @param rule decides the fault from the method and the request target (path and query) */
  FaultProxy(URI backend, BiFunction<String, String, Fault> rule) throws IOException {
    this.backend = backend;
    this.rule = rule;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  List<Seen> seen(Fault fault) {
    return seen.stream().filter(s -> s.fault() == fault).toList();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> handle(client));
      } catch (IOException e) {
        if (!server.isClosed()) {
          throw new IllegalStateException("fault proxy accept failed", e);
        }
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      client.setSoTimeout(30_000);
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String[] requestLine = head.get(0).split(" ");
      String method = requestLine[0];
      String target = requestLine[1];
      Fault fault = rule.apply(method, target);
      long length = 0;
      boolean expectContinue = false;
      StringBuilder forwarded = new StringBuilder(head.get(0)).append("\r\n");
      for (String h : head.subList(1, head.size())) {
        String name = h.substring(0, h.indexOf(':')).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(h.indexOf(':') + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> throw new IllegalStateException("chunked requests are not supported: " + h);
          case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
          default -> { }
        }
        if (name.equals("connection") || name.equals("expect")
            || (name.equals("if-none-match") && fault == Fault.STRIP_IF_NONE_MATCH)) {
          continue;
        }
        forwarded.append(h).append("\r\n");
      }
      forwarded.append("Connection: close\r\n\r\n");
      if (fault == Fault.THROTTLE) {
        seen.add(new Seen(method, target, fault, 0));
        respond(out, 503, "Service Unavailable", "SlowDown", "Please reduce your request rate.");
        return;
      }
      if (expectContinue) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      if (fault == Fault.RESET) {
        in.readNBytes((int) Math.min(length / 2, Integer.MAX_VALUE));
        seen.add(new Seen(method, target, fault, 0));
        client.setSoLinger(true, 0); // close() now sends RST
        return;
      }
      byte[] body = in.readNBytes((int) length);
      byte[] response;
      try (Socket upstream = new Socket(backend.getHost(), backend.getPort())) {
        upstream.setSoTimeout(30_000);
        OutputStream up = upstream.getOutputStream();
        up.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
        up.write(body);
        up.flush();
        response = upstream.getInputStream().readAllBytes();
      }
      String statusLine = new String(response, 0, Math.min(response.length, 64), StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      seen.add(new Seen(method, target, fault, status));
      if (fault == Fault.ERROR_AFTER_WRITE) {
        respond(out, 500, "Internal Server Error", "InternalError", "injected after the request was applied");
      } else {
        out.write(response);
        out.flush();
      }
    } catch (IOException e) {
      // The client gave up on the connection (its own timeout or retry); nothing to relay.
      seen.add(new Seen("?", e.toString(), Fault.PASS, -1));
    }
  }

  private static void respond(OutputStream out, int status, String reason, String code, String message)
      throws IOException {
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
        + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** The request line and header lines, or empty at end of stream. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return List.of();
      }
      if (b == '\n' && prev == '\r') {
        byte[] bytes = line.toByteArray();
        String s = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) {
          return lines;
        }
        lines.add(s);
        line.reset();
      } else {
        line.write(b);
      }
      prev = b;
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
