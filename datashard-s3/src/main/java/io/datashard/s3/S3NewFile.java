package io.datashard.s3;

import io.datashard.storage.NewFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A new object: buffered in memory and written with one conditional PUT on {@link #publish()}, or,
 * once it outgrows the part size, uploaded in parts of a multipart upload that {@link #publish()}
 * completes (a multipart object is invisible until then; {@link #close()} aborts the upload).
 * Multipart completion is unconditional: only data files and checkpoints grow that large, and their
 * names are fresh UUIDs or hold the same state whoever writes them.
 */
final class S3NewFile implements NewFile {
  private final S3Storage storage;
  private final String path;
  private final String key;
  private final int partSize;
  private final Buffer buffer = new Buffer();
  private final Stream stream = new Stream();
  private final List<CompletedPart> parts = new ArrayList<>();
  private String uploadId;
  private long flushed;
  private boolean done;
  private boolean published;

  S3NewFile(S3Storage storage, String path, String key, int partSize) {
    this.storage = storage;
    this.path = path;
    this.key = key;
    this.partSize = partSize;
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public long position() {
    return flushed + buffer.size();
  }

  @Override
  public long publish() throws IOException {
    if (done) {
      throw new IllegalStateException("already published or closed: " + storage.uri(path));
    }
    done = true;
    long size = position();
    try {
      if (uploadId == null) {
        putIfAbsent(buffer.toByteArray());
      } else {
        if (buffer.size() > 0) {
          uploadPart();
        }
        S3Client s3 = storage.client();
        s3.completeMultipartUpload(r -> r.bucket(storage.bucketName()).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts)));
      }
    } catch (IOException | RuntimeException e) {
      abort(e);
      throw e;
    }
    published = true;
    buffer.reset();
    return size;
  }

  /** A 412 on a fresh name is most likely this writer's own PUT retried by the SDK: compare the content. */
  private void putIfAbsent(byte[] content) throws IOException {
    try {
      storage.putIfAbsent(path, content);
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        byte[] found = storage.readAll(path);
        if (Arrays.equals(found, content)) {
          return;
        }
        FileAlreadyExistsException exists = new FileAlreadyExistsException(storage.uri(path));
        exists.initCause(e);
        throw exists;
      }
      throw storage.failure("cannot write", path, e);
    } catch (SdkException e) {
      throw storage.failure("cannot write", path, e);
    }
  }

  /** Nothing to wait for: an S3 object is durable once its PUT returned. */
  @Override
  public void awaitDurable() {
    if (!published) {
      throw new IllegalStateException("not published: " + storage.uri(path));
    }
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      abort(null);
    }
    buffer.reset();
  }

  private void abort(Exception failure) throws IOException {
    if (uploadId == null) {
      return;
    }
    try {
      storage.client().abortMultipartUpload(r -> r.bucket(storage.bucketName()).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw storage.failure("cannot abort the multipart upload of", path, e);
      }
    }
  }

  private void uploadPart() throws IOException {
    try {
      S3Client s3 = storage.client();
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(r -> r.bucket(storage.bucketName()).key(key)).uploadId();
      }
      int number = parts.size() + 1;
      byte[] bytes = buffer.toByteArray();
      String etag = s3.uploadPart(r -> r.bucket(storage.bucketName()).key(key).uploadId(uploadId).partNumber(number),
          RequestBody.fromBytes(bytes)).eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      flushed += bytes.length;
      buffer.reset();
    } catch (SdkException e) {
      throw storage.failure("cannot upload a part of", path, e);
    }
  }

  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(1 << 16);
    }
  }

  private final class Stream extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      check();
      buffer.write(b);
      if (buffer.size() >= partSize) {
        uploadPart();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      check();
      while (len > 0) {
        int n = Math.min(len, partSize - buffer.size());
        buffer.write(b, off, n);
        off += n;
        len -= n;
        if (buffer.size() >= partSize) {
          uploadPart();
        }
      }
    }

    private void check() {
      if (done) {
        throw new IllegalStateException("already published or closed: " + storage.uri(path));
      }
    }

    @Override
    public void close() {
      // Closed by publish() or NewFile.close(); Parquet closing its stream must not end the file.
    }
  }
}
