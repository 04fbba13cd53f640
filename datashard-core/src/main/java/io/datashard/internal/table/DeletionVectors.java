package io.datashard.internal.table;

import io.datashard.CorruptTableException;
import io.datashard.StorageException;
import io.datashard.internal.log.Action.DeletionVector;
import io.datashard.storage.PathOutsideTableException;
import io.datashard.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;

/**
 * Loads deletion vectors (the rows of a data file that are deleted) as the Delta protocol stores
 * them: inline ({@code i}, Z85-encoded), or in a DV file named by a UUID relative to the table
 * ({@code u}) or by an absolute path ({@code p}). A DV file is a version byte (1) followed by
 * vectors, each framed as a big-endian 4-byte size, the serialized vector and its big-endian CRC-32;
 * a serialized vector is the magic number 1681511377 (little-endian) followed by the 64-bit portable
 * RoaringBitmap array format. Every mismatch is a {@link CorruptTableException}.
 */
final class DeletionVectors {
  private static final int MAGIC = 1681511377;
  private static final String Z85 =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  private static final int[] Z85_VALUES = new int[128];

  static {
    Arrays.fill(Z85_VALUES, -1);
    for (int i = 0; i < Z85.length(); i++) {
      Z85_VALUES[Z85.charAt(i)] = i;
    }
  }

  private DeletionVectors() {}

  /**
   * The deleted row positions (0-based within the data file) a descriptor names.
   *
   * @param localRoot the table's absolute local root, or null (then {@code p} vectors are refused)
   * @param where names the table, version and data file in messages
   */
  static LongPredicate load(Storage storage, String localRoot, DeletionVector dv, String table, long version,
      String where) {
    byte[] data;
    switch (dv.storageType()) {
      case "i": {
        byte[] decoded = z85(dv.pathOrInlineDv(), where);
        if (dv.sizeInBytes() > decoded.length) {
          throw corrupt(where, "the inline deletion vector is shorter than its sizeInBytes " + dv.sizeInBytes());
        }
        data = Arrays.copyOf(decoded, dv.sizeInBytes());
        break;
      }
      case "u":
      case "p":
        data = readFromFile(storage, path(dv, localRoot, table, version, where), dv, where);
        break;
      default:
        throw corrupt(where, "unknown deletion vector storage type '" + dv.storageType() + "'");
    }
    return parse(data, dv.cardinality(), where);
  }

  /** The table-relative path of an on-disk vector; never outside the table. */
  private static String path(DeletionVector dv, String localRoot, String table, long version, String where) {
    if (dv.storageType().equals("p")) {
      return DataPaths.decode(dv.pathOrInlineDv(), localRoot, table, version);
    }
    String encoded = dv.pathOrInlineDv();
    if (encoded.length() < 20) {
      throw corrupt(where, "deletion vector path '" + encoded + "' is shorter than an encoded UUID");
    }
    String prefix = encoded.substring(0, encoded.length() - 20);
    ByteBuffer uuid = ByteBuffer.wrap(z85(encoded.substring(encoded.length() - 20), where));
    String name = "deletion_vector_" + new UUID(uuid.getLong(), uuid.getLong()) + ".bin";
    String relative = prefix.isEmpty() ? name : prefix + "/" + name;
    return DataPaths.decode(DataPaths.encode(relative), null, table, version);
  }

  private static byte[] readFromFile(Storage storage, String path, DeletionVector dv, String where) {
    String what = where + ", deletion vector file " + path;
    int offset = dv.offset().orElse(1);
    try (SeekableByteChannel ch = storage.openRead(path)) {
      long length = ch.size();
      if (length < 1 || offset < 1 || (long) offset + 8 + dv.sizeInBytes() > length) {
        throw corrupt(what, "offset " + offset + " and size " + dv.sizeInBytes() + " do not fit the file's "
            + length + " bytes");
      }
      ByteBuffer version = read(ch, 0, 1, what);
      if (version.get() != 1) {
        throw corrupt(what, "unknown format version " + version.get(0));
      }
      ByteBuffer framed = read(ch, offset, 8 + dv.sizeInBytes(), what);
      int size = framed.getInt();
      if (size != dv.sizeInBytes()) {
        throw corrupt(what, "the vector at offset " + offset + " has " + size + " bytes, the log says "
            + dv.sizeInBytes());
      }
      byte[] data = new byte[size];
      framed.get(data);
      int checksum = framed.getInt();
      CRC32 crc = new CRC32();
      crc.update(data);
      if ((int) crc.getValue() != checksum) {
        throw corrupt(what, "checksum mismatch for the vector at offset " + offset);
      }
      return data;
    } catch (NoSuchFileException e) {
      throw corrupt(what, "the file is missing");
    } catch (PathOutsideTableException e) {
      throw corrupt(what, e.getMessage());
    } catch (IOException e) {
      throw new StorageException("cannot read " + what, e);
    }
  }

  private static ByteBuffer read(SeekableByteChannel ch, long position, int length, String what) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    ch.position(position);
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw corrupt(what, "the file ends early");
      }
    }
    return buf.flip();
  }

  /** Parses a serialized vector (magic number and RoaringBitmap array) and checks its cardinality. */
  static LongPredicate parse(byte[] data, long cardinality, String where) {
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int magic = buf.getInt();
      if (magic != MAGIC) {
        throw corrupt(where, "deletion vector has magic number " + magic + ", expected " + MAGIC);
      }
      long count = buf.getLong();
      if (count < 0 || count > buf.remaining() / 4) {
        throw corrupt(where, "deletion vector claims " + count + " bitmaps");
      }
      int[] keys = new int[(int) count];
      RoaringBitmap[] bitmaps = new RoaringBitmap[(int) count];
      long total = 0;
      for (int i = 0; i < count; i++) {
        keys[i] = buf.getInt();
        if (i > 0 && Integer.compareUnsigned(keys[i], keys[i - 1]) <= 0) {
          throw corrupt(where, "deletion vector bitmap keys are not ascending");
        }
        RoaringBitmap bitmap = new RoaringBitmap();
        bitmap.deserialize(buf.slice().order(ByteOrder.LITTLE_ENDIAN));
        buf.position(buf.position() + bitmap.serializedSizeInBytes());
        bitmaps[i] = bitmap;
        total += bitmap.getLongCardinality();
      }
      if (buf.hasRemaining()) {
        throw corrupt(where, "deletion vector has " + buf.remaining() + " bytes after its bitmaps");
      }
      if (total != cardinality) {
        throw corrupt(where, "deletion vector holds " + total + " rows, the log says " + cardinality);
      }
      return row -> {
        int i = Arrays.binarySearch(keys, (int) (row >>> 32));
        return i >= 0 && bitmaps[i].contains((int) row);
      };
    } catch (IOException | RuntimeException e) {
      if (e instanceof CorruptTableException c) {
        throw c;
      }
      throw new CorruptTableException(where + ": deletion vector is not a valid RoaringBitmap array: " + e, e);
    }
  }

  /** Decodes Z85 (ZeroMQ base 85) text: 5 characters per 4 bytes, big-endian. */
  static byte[] z85(String text, String where) {
    if (text.length() % 5 != 0) {
      throw corrupt(where, "deletion vector text '" + text + "' is not Z85 (length not a multiple of 5)");
    }
    ByteBuffer out = ByteBuffer.allocate(text.length() / 5 * 4);
    for (int i = 0; i < text.length(); i += 5) {
      long value = 0;
      for (int j = i; j < i + 5; j++) {
        char c = text.charAt(j);
        int digit = c < 128 ? Z85_VALUES[c] : -1;
        if (digit < 0) {
          throw corrupt(where, "deletion vector text has a character outside Z85: '" + c + "'");
        }
        value = value * 85 + digit;
      }
      if (value > 0xFFFFFFFFL) {
        throw corrupt(where, "deletion vector text holds an invalid Z85 block at " + i);
      }
      out.putInt((int) value);
    }
    return out.array();
  }

  private static CorruptTableException corrupt(String where, String problem) {
    return new CorruptTableException(where + ": " + problem);
  }
}
