package io.datashard.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3-compatible server for tests and local experiments: S3Proxy with its filesystem backend
 * (each object is a file under {@code baseDir/bucket/key}), SigV4 authentication, bound to
 * 127.0.0.1 on a free port, with one bucket.
 *
 * <p>As a program it runs until killed and prints the environment variables that point the {@code
 * datashard} CLI (and its stress workers) at it:
 *
 * <pre>
 * mvn -q -B -pl datashard-s3 -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp datashard-s3/target/test-classes:datashard-s3/target/classes:$(cat datashard-s3/target/cp.txt) \
 *     io.datashard.s3.S3ProxyServer [DIR] [PORT]
 * </pre>
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "datashard-test";
  public static final String SECRET_KEY = "datashard-test-secret";
  public static final String BUCKET = "datashard";

  private final S3Proxy proxy;
  private final BlobStore store;
  private final Path baseDir;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy, BlobStore store, Path baseDir, URI endpoint) {
    this.proxy = proxy;
    this.store = store;
    this.baseDir = baseDir;
    this.endpoint = endpoint;
  }

  /** Starts a server storing objects under {@code baseDir}, on {@code port} (0: a free one). */
  public static S3ProxyServer start(Path baseDir, int port) throws Exception {
    return start(baseDir, port, AuthenticationType.AWS_V2_OR_V4);
  }

  /**
   * Starts a server that checks signatures with {@code auth} ({@code NONE}: accepts any request, so
   * that a test proxy may rewrite signed headers).
   */
  public static S3ProxyServer start(Path baseDir, int port, AuthenticationType auth) throws Exception {
    Files.createDirectories(baseDir);
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
    p.setProperty("jclouds.identity", ACCESS_KEY);
    p.setProperty("jclouds.credential", SECRET_KEY);
    BlobStore store = BlobStores.create("filesystem", p);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .awsAuthentication(auth, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .stopTimeout(0) // no graceful drain: idle keep-alive connections would make stop() time out
        .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
      }
      Thread.sleep(10);
    }
    if (!store.containerExists(BUCKET)) {
      store.createContainer(BUCKET);
    }
    return new S3ProxyServer(proxy, store, baseDir, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  /** The server's URL. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return endpoint.getPort();
  }

  /** The local directory holding an S3 location's objects (the filesystem backend's layout). */
  public Path localPath(String s3Location) {
    URI u = URI.create(s3Location);
    return baseDir.resolve(u.getAuthority()).resolve(u.getPath().substring(1));
  }

  /** The environment that points the SDK's standard chains (and so {@code Table.open("s3://...")}) here. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL_S3", endpoint.toString());
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_REGION", "us-east-1");
    return env;
  }

  /** Points this JVM's SDK chains here through system properties (environment variables cannot be set). */
  public void useForThisJvm() {
    System.setProperty("aws.endpointUrlS3", endpoint.toString());
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    store.close();
  }

  /** Runs a server until killed: {@code S3ProxyServer [DIR [PORT]]} (default: a temporary directory, port 9090). */
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("datashard-s3proxy-");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9090;
    S3ProxyServer server = start(dir, port);
    System.out.println("S3Proxy serving bucket '" + BUCKET + "' from " + dir + " at " + server.endpoint());
    System.out.println("point datashard at it with:");
    server.environment().forEach((k, v) -> System.out.println("  export " + k + "=" + v));
    System.out.println("then use table locations such as s3://" + BUCKET + "/t (Ctrl-C stops the server)");
    System.out.flush();
    Thread.currentThread().join();
  }
}
