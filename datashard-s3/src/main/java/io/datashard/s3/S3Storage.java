package io.datashard.s3;

import io.datashard.storage.FileInfo;
import io.datashard.storage.NewFile;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.StagedFile;
import io.datashard.storage.Storage;
import io.datashard.storage.UnconfirmedPublishException;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link Storage} in S3 or an S3-compatible object store. A table lives under {@code
 * s3://bucket/prefix/}. Log entries are published with {@code PutObject} and {@code If-None-Match:
 * *}, which the server applies atomically: the one guarantee the commit protocol needs, so many
 * machines commit to one table with no lock service. A {@code 412} or an error whose effect is not
 * known is reported as {@link UnconfirmedPublishException}, and the committer reads the entry back
 * (an SDK may retry a PUT that had succeeded and then receive {@code 412} for its own object).
 *
 * <p>Once per instance (one per table handle), before the first commit, a probe object under
 * {@code _delta_log/} checks that the server honours {@code If-None-Match}; if it does not, commits
 * fail with {@link ConditionalWritesUnsupportedException} unless single-writer mode was chosen.
 *
 * <p>Data files are buffered in memory and uploaded on {@link NewFile#publish()}, with a multipart
 * upload once they exceed the part size, so they are invisible until published. An object in S3 is
 * durable once the PUT returns, so there is nothing to sync. {@link #lockWriters()} is empty:
 * writers on different machines cannot queue, and correctness does not need them to.
 */
public final class S3Storage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);
  /** S3's minimum part size for all but the last part of a multipart upload. */
  static final int MIN_PART_SIZE = 5 << 20;
  private static final int DEFAULT_PART_SIZE = 8 << 20;
  private static final String PROBE_PREFIX = "_delta_log/.datashard-probe-";

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String location;
  private final boolean singleWriter;
  private final int partSize;
  private final Object probeLock = new Object();
  /** Null until probed; then whether the server honours If-None-Match. */
  private volatile Boolean conditionalWrites;

  private S3Storage(S3Client s3, String bucket, String prefix, boolean singleWriter, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.location = "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    this.singleWriter = singleWriter;
    this.partSize = partSize;
  }

  /**
   * A builder for the table at {@code s3://bucket/prefix}.
   *
   * @throws IllegalArgumentException if the URI's scheme is not {@code s3} or it names no bucket
   */
  public static Builder builder(URI location) {
    return new Builder(location);
  }

  /**
   * Configures an {@link S3Storage}. Credentials and region come from the AWS SDK's standard chains
   * (environment, system properties, {@code ~/.aws} profiles, instance metadata); without a region
   * and with a custom endpoint, {@code us-east-1} is used. Other settings, first found wins: the
   * builder method, the system property, the environment variable:
   *
   * <ul>
   *   <li>endpoint: {@link #endpoint}, {@code aws.endpointUrlS3}, {@code aws.endpointUrl}, {@code
   *       AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}; default: AWS S3 of the region;
   *   <li>path-style addressing: {@link #pathStyle}, {@code datashard.s3.pathStyle}, {@code
   *       DATASHARD_S3_PATH_STYLE}; default: on when a custom endpoint is set;
   *   <li>single-writer mode: {@link #singleWriter}, {@code datashard.s3.singleWriter}, {@code
   *       DATASHARD_S3_SINGLE_WRITER}; default: off.
   * </ul>
   */
  public static final class Builder {
    private final String bucket;
    private final String prefix;
    private Optional<URI> endpoint = Optional.empty();
    private Optional<Boolean> pathStyle = Optional.empty();
    private Optional<Boolean> singleWriter = Optional.empty();
    private int partSize = DEFAULT_PART_SIZE;
    private int maxAttempts = 10;

    private Builder(URI location) {
      if (!"s3".equalsIgnoreCase(location.getScheme())) {
        throw new IllegalArgumentException("not an s3:// location: " + location);
      }
      String host = location.getAuthority();
      if (host == null || host.isEmpty()) {
        throw new IllegalArgumentException("no bucket in " + location + " (expected s3://bucket/prefix)");
      }
      String path = location.getPath() == null ? "" : location.getPath();
      while (path.startsWith("/")) {
        path = path.substring(1);
      }
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (location.getQuery() != null || location.getFragment() != null) {
        throw new IllegalArgumentException("unexpected query or fragment in " + location);
      }
      this.bucket = host;
      this.prefix = path;
    }

    /** Sets the S3 endpoint, for S3-compatible servers (for example {@code http://127.0.0.1:9000}). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Optional.of(endpoint);
      return this;
    }

    /** Sets whether buckets are addressed in the path ({@code http://host/bucket/key}) instead of the host name. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = Optional.of(pathStyle);
      return this;
    }

    /**
     * Allows committing even if the server ignores {@code If-None-Match}. Safe only if no two
     * writers ever commit to the table at the same time; the caller takes that responsibility.
     */
    public Builder singleWriter(boolean singleWriter) {
      this.singleWriter = Optional.of(singleWriter);
      return this;
    }

    /**
     * Sets the part size of multipart uploads, at least 5 MiB (default 8 MiB); data files up to this
     * size are uploaded with one PUT. A file being written holds up to one part in memory.
     */
    public Builder partSize(int bytes) {
      if (bytes < MIN_PART_SIZE) {
        throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE + " bytes, got " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Sets how many times the SDK tries each request (default 10) before the operation fails; retries
     * back off exponentially, longer after throttling ({@code 503 SlowDown}).
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The storage, with its own S3 client (closed with the storage). */
    public S3Storage build() {
      Optional<URI> ep = endpoint.or(() -> setting("aws.endpointUrlS3", "AWS_ENDPOINT_URL_S3")
          .or(() -> setting("aws.endpointUrl", "AWS_ENDPOINT_URL")).map(URI::create));
      boolean path = pathStyle.or(() -> setting("datashard.s3.pathStyle", "DATASHARD_S3_PATH_STYLE")
          .map(Builder::parseBoolean)).orElse(ep.isPresent());
      boolean single = singleWriter.or(() -> setting("datashard.s3.singleWriter", "DATASHARD_S3_SINGLE_WRITER")
          .map(Builder::parseBoolean)).orElse(false);
      S3ClientBuilder b = S3Client.builder()
          .httpClientBuilder(UrlConnectionHttpClient.builder()
              .connectionTimeout(Duration.ofSeconds(10))
              .socketTimeout(Duration.ofSeconds(60)))
          .region(region(ep.isPresent()))
          .forcePathStyle(path)
          // Compatible servers often reject the SDK's newer default checksum trailers; SigV4 already
          // covers the payload, and TLS the transport.
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          // Throttling (503 SlowDown) and transient errors back off and retry; no circuit breaker,
          // so that other requests' failures never fail a commit outright.
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
              .maxAttempts(maxAttempts).circuitBreakerEnabled(false).build()));
      ep.ifPresent(b::endpointOverride);
      return new S3Storage(b.build(), bucket, prefix, single, partSize);
    }

    private static Region region(boolean customEndpoint) {
      try {
        return new DefaultAwsRegionProviderChain().getRegion();
      } catch (SdkClientException e) {
        if (customEndpoint) {
          return Region.US_EAST_1; // S3-compatible servers mostly ignore the region; it only enters the signature
        }
        throw new IllegalArgumentException("no AWS region configured (set AWS_REGION or a profile's region): "
            + e.getMessage(), e);
      }
    }

    private static Optional<String> setting(String property, String env) {
      String v = System.getProperty(property);
      if (v == null || v.isBlank()) {
        v = System.getenv(env);
      }
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static boolean parseBoolean(String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on":
          return true;
        case "false", "0", "no", "off":
          return false;
        default:
          throw new IllegalArgumentException("expected true or false, got '" + s + "'");
      }
    }
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The key prefix of the table root, without a trailing slash (empty: the bucket's root). */
  public String prefix() {
    return prefix;
  }

  @Override
  public String location() {
    return location;
  }

  /** Always true: object stores have no directories; a missing table is found by its missing log. */
  @Override
  public boolean rootIsDirectory() {
    return true;
  }

  @Override
  public boolean exists(String path) throws IOException {
    return head(path).isPresent();
  }

  @Override
  public Optional<FileInfo> info(String path) throws IOException {
    return head(path).map(h -> new FileInfo(path, h.contentLength(), h.lastModified().toEpochMilli()));
  }

  private Optional<HeadObjectResponse> head(String path) throws IOException {
    String key = key(path);
    try {
      return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)));
    } catch (SdkException e) {
      if (isNotFound(e)) {
        return Optional.empty();
      }
      throw failure("cannot look up", path, e);
    }
  }

  @Override
  public byte[] readAll(String path) throws IOException {
    String key = key(path);
    try {
      return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    } catch (SdkException e) {
      throw failure("cannot read", path, e);
    }
  }

  @Override
  public SeekableByteChannel openRead(String path) throws IOException {
    long size = head(path).orElseThrow(() -> new NoSuchFileException(uri(path))).contentLength();
    return new S3ReadChannel(this, path, key(path), size);
  }

  /** The bytes {@code [start, start + length)} of an object. */
  byte[] readRange(String path, String key, long start, long length) throws IOException {
    GetObjectRequest req = GetObjectRequest.builder().bucket(bucket).key(key)
        .range("bytes=" + start + "-" + (start + length - 1)).build();
    try {
      return s3.getObjectAsBytes(req).asByteArray();
    } catch (SdkException e) {
      throw failure("cannot read", path, e);
    }
  }

  @Override
  public List<FileInfo> listFrom(String dir, String startAfter) throws IOException {
    String dirKey = key(dir);
    String listPrefix = dirKey.isEmpty() ? "" : dirKey + "/";
    ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix).delimiter("/");
    if (!startAfter.isEmpty()) {
      req.startAfter(listPrefix + startAfter);
    }
    List<FileInfo> files = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(req.build()).contents()) {
        String name = o.key().substring(listPrefix.length());
        if (!name.isEmpty() && name.compareTo(startAfter) > 0) {
          files.add(new FileInfo(dir.isEmpty() ? name : dir + "/" + name, o.size(), o.lastModified().toEpochMilli()));
        }
      }
    } catch (SdkException e) {
      throw failure("cannot list", dir, e);
    }
    return files; // S3 lists keys in UTF-8 binary order, which is the name order for our names
  }

  /** A prefix listing without delimiter: every object below {@code dir} (object stores have no links). */
  @Override
  public List<FileInfo> listTree(String dir) throws IOException {
    String dirKey = key(dir);
    String listPrefix = dirKey.isEmpty() ? "" : dirKey + "/";
    List<FileInfo> files = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(listPrefix)
          .build()).contents()) {
        String name = o.key().substring(listPrefix.length());
        if (!name.isEmpty() && !name.endsWith("/")) {
          files.add(new FileInfo(dir.isEmpty() ? name : dir + "/" + name, o.size(), o.lastModified().toEpochMilli()));
        }
      }
    } catch (SdkException e) {
      throw failure("cannot list", dir, e);
    }
    return files;
  }

  /** True: one {@code ListObjectsV2} with {@code start-after} replaces probing for versions one by one. */
  @Override
  public boolean listsFromCheaply() {
    return true;
  }

  @Override
  public NewFile create(String path) throws IOException {
    return new S3NewFile(this, path, key(path), partSize);
  }

  /** Keeps the entry in memory; also checks once that the server honours conditional writes. */
  @Override
  public StagedFile stage(String dir, byte[] content) throws IOException {
    key(dir);
    checkConditionalWrites();
    byte[] copy = content.clone();
    return new StagedFile() {
      @Override
      public byte[] content() {
        return copy.clone();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * {@code PutObject} with {@code If-None-Match: *}.
   *
   * @return true if created; never false on a server that honours the condition: a {@code 412} is
   *     reported as {@link UnconfirmedPublishException} so that the caller reads the object back
   */
  @Override
  public boolean publishIfAbsent(StagedFile staged, String path) throws IOException {
    checkConditionalWrites();
    if (!conditionalWrites && exists(path)) {
      return false; // single-writer mode on a server without conditional writes: best effort only
    }
    byte[] content = staged.content();
    try {
      putIfAbsent(path, content);
      return true;
    } catch (S3Exception e) {
      int status = e.statusCode();
      if (status == 412) {
        throw new UnconfirmedPublishException("PUT If-None-Match of " + uri(path) + " returned 412 Precondition"
            + " Failed: another writer's entry, or this writer's own after a retried request", e);
      }
      if (status == 409 || status >= 500) {
        // 409 ConditionalRequestConflict: a concurrent conditional write to the key was in flight.
        throw new UnconfirmedPublishException("PUT If-None-Match of " + uri(path) + " failed with " + status
            + " " + errorCode(e) + "; it may or may not have been applied", e);
      }
      throw failure("cannot write", path, e);
    } catch (SdkException e) {
      throw new UnconfirmedPublishException("PUT If-None-Match of " + uri(path) + " failed (" + e.getMessage()
          + "); it may or may not have been applied", e);
    }
  }

  /** One PUT with {@code If-None-Match: *}; throws the SDK's exception. */
  void putIfAbsent(String path, byte[] content) throws IOException {
    s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key(path)).ifNoneMatch("*").build(),
        RequestBody.fromBytes(content));
  }

  @Override
  public void replace(String path, byte[] content) throws IOException {
    String key = key(path);
    try {
      s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw failure("cannot write", path, e);
    }
  }

  /** Empty: writers on many machines cannot queue through S3, and commits do not need them to. */
  @Override
  public Optional<Closeable> lockWriters() {
    return Optional.empty();
  }

  @Override
  public boolean delete(String path) throws IOException {
    if (!exists(path)) {
      return false;
    }
    String key = key(path);
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (SdkException e) {
      throw failure("cannot delete", path, e);
    }
  }

  /** Closes the S3 client. */
  @Override
  public void close() {
    s3.close();
  }

  S3Client client() {
    return s3;
  }

  String bucketName() {
    return bucket;
  }

  /**
   * Writes a probe object, then writes it again with {@code If-None-Match: *}: a server that honours
   * the condition answers 412. Done once per instance; the probe object is deleted.
   */
  private void checkConditionalWrites() throws IOException {
    if (conditionalWrites != null) {
      return;
    }
    synchronized (probeLock) {
      if (conditionalWrites != null) {
        return;
      }
      String probe = PROBE_PREFIX + UUID.randomUUID();
      byte[] body = "datashard conditional write probe".getBytes(StandardCharsets.UTF_8);
      replace(probe, body);
      String answer;
      try {
        try {
          putIfAbsent(probe, body);
          answer = "it replaced an existing object";
        } catch (S3Exception e) {
          answer = e.statusCode() == 412 ? null : "it answered " + e.statusCode() + " " + errorCode(e);
        } catch (SdkException e) {
          throw new IOException("cannot check whether " + location + " supports conditional writes: " + e.getMessage(), e);
        }
      } finally {
        delete(probe);
      }
      if (answer != null && !singleWriter) {
        throw new ConditionalWritesUnsupportedException("the S3 server of " + location + " does not honour"
            + " If-None-Match: * (put-if-absent; asked to create an existing object, " + answer + "), so concurrent"
            + " commits could overwrite each other; refusing to commit. Use a server with conditional writes, or, if"
            + " only one writer ever commits to this table, set DATASHARD_S3_SINGLE_WRITER=true");
      }
      if (answer != null) {
        LOG.warn("S3 server of {} ignores If-None-Match ({}); committing in single-writer mode", location, answer);
      }
      conditionalWrites = answer == null;
    }
  }

  /** The object key of a table-relative path, refusing paths that would leave the table's prefix. */
  String key(String path) throws PathOutsideTableException {
    if (path.isEmpty()) {
      return prefix;
    }
    if (path.indexOf('\0') >= 0 || path.startsWith("/") || path.indexOf('\\') >= 0) {
      throw new PathOutsideTableException("path '" + path + "' is not a relative path inside table " + location);
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        throw new PathOutsideTableException("path '" + path + "' escapes table " + location);
      }
    }
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  String uri(String path) {
    return path.isEmpty() ? location : location + "/" + path;
  }

  IOException failure(String what, String path, SdkException e) {
    if (isNotFound(e)) {
      NoSuchFileException n = new NoSuchFileException(uri(path));
      n.initCause(e);
      return n;
    }
    return new IOException(what + " " + uri(path) + ": " + e.getMessage(), e);
  }

  private static boolean isNotFound(SdkException e) {
    return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404
        && !"NoSuchBucket".equals(errorCode(s)));
  }

  static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }
}
