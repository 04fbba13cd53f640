package io.datashard.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Test oracle: reads a Delta table with the real Delta Kernel (4.4.0, its default engine) and
 * returns the rows as plain Java values, so tests can prove that a table written by DataShard is
 * a real Delta table and that DataShard's reader returns exactly the rows Kernel does.
 *
 * <p>Rows are read through Kernel's standard scan flow: snapshot &rarr; scan &rarr; scan files
 * &rarr; Parquet read of each file with the physical read schema &rarr; {@code
 * Scan.transformPhysicalData}, which fills in partition columns, applies deletion vectors (as a
 * selection vector, honoured here) and maps physical to logical names (column mapping). No filter
 * or projection is pushed down: all rows, all columns, in the order Kernel returns them (not
 * meaningful: sort with {@link #ROW_ORDER} before comparing).
 *
 * <p>Each row is a {@code List<Object>} of the top-level column values in schema order,
 * normalized to:
 *
 * <table>
 *   <caption>Delta type to Java type</caption>
 *   <tr><td>string</td><td>{@link String}</td></tr>
 *   <tr><td>long / integer / short / byte</td><td>{@link Long} / {@link Integer} / {@link Short} /
 *       {@link Byte}</td></tr>
 *   <tr><td>float / double / boolean</td><td>{@link Float} / {@link Double} / {@link
 *       Boolean}</td></tr>
 *   <tr><td>binary</td><td>{@code byte[]}</td></tr>
 *   <tr><td>decimal(p, s)</td><td>{@link BigDecimal} with scale {@code s}</td></tr>
 *   <tr><td>date</td><td>{@link LocalDate}</td></tr>
 *   <tr><td>timestamp</td><td>{@link Instant} (microsecond precision)</td></tr>
 *   <tr><td>timestamp_ntz</td><td>{@link LocalDateTime} (microsecond precision)</td></tr>
 *   <tr><td>struct</td><td>{@code List<Object>} of the field values in order</td></tr>
 *   <tr><td>array</td><td>{@code List<Object>}</td></tr>
 *   <tr><td>map</td><td>{@link LinkedHashMap}{@code <Object, Object>} in stored entry order</td></tr>
 * </table>
 *
 * <p>A null value is Java {@code null} at every level (a null struct is {@code null}, not a list
 * of nulls). Other Delta types (variant, geometry, ...) make the read fail with {@link
 * UnsupportedOperationException}. Since {@code byte[]} has identity {@code equals}, compare rows
 * that may hold binary values through {@link #canonical(Object)} / {@link #canonicalRows(List)}.
 *
 * <h2>Class loading</h2>
 *
 * <p>Kernel's default engine needs its own Hadoop ({@code hadoop-client-api} and {@code
 * hadoop-client-runtime}, shaded). On the test class path the main code's trimmed {@code
 * hadoop-common} (no transitive dependencies) comes first and shadows the same class names, so
 * Kernel fails inside Hadoop ({@code FileSystem} &rarr; {@code UserGroupInformation} &rarr; {@code
 * NoClassDefFoundError: org/apache/commons/configuration2/Configuration}). The oracle therefore
 * runs Kernel (the class {@link KernelOracleReader}) in a private class loader whose parent is the
 * platform loader: it sees the test class path minus the unshaded Hadoop module jars ({@code
 * hadoop-common}, {@code hadoop-mapreduce-client-core}, ...), so Kernel gets exactly the Hadoop it
 * was built for while the main code under test keeps the Hadoop it ships with. Only JDK types
 * cross the boundary. One consequence: an exception thrown by Kernel (for example {@code
 * io.delta.kernel.exceptions.TableNotFoundException}) reaches the caller unchanged but as a class
 * of that private loader, so match it by {@code getClass().getName()} or message, not with {@code
 * isInstanceOf(SomeKernelException.class)}.
 */
public final class KernelOracle {

  private KernelOracle() {}

  // ---------------------------------------------------------------------------------------------
  // Public API
  // ---------------------------------------------------------------------------------------------

  /** All rows of the latest version of the table at {@code table}, normalized (see class doc). */
  public static List<List<Object>> readRows(Path table) {
    return readRowsAt(table, -1L);
  }

  /** All rows of version {@code version} of the table at {@code table}, normalized. */
  public static List<List<Object>> readRows(Path table, long version) {
    return readRowsAt(table, checkVersion(version));
  }

  /** The top-level column names of the latest version, in schema order. */
  public static List<String> columnNames(Path table) {
    return stringList(Reader.COLUMN_NAMES, table, -1L);
  }

  /** The top-level column names of version {@code version}, in schema order. */
  public static List<String> columnNames(Path table, long version) {
    return stringList(Reader.COLUMN_NAMES, table, checkVersion(version));
  }

  /** The partition column names of the latest version, in the table's partition order. */
  public static List<String> partitionColumns(Path table) {
    return stringList(Reader.PARTITION_COLUMNS, table, -1L);
  }

  /** The latest committed version of the table, as Kernel sees it. */
  public static long latestVersion(Path table) {
    Thread current = Thread.currentThread();
    ClassLoader saved = current.getContextClassLoader();
    current.setContextClassLoader(Reader.LOADER);
    try {
      return (long) Reader.LATEST_VERSION.invokeExact(kernelPath(table));
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      current.setContextClassLoader(saved);
    }
  }

  /**
   * A total order on normalized rows: element-wise by {@link #canonicalString(Object)}, then by
   * length (a row that is a prefix of another sorts first). {@code null} sorts before any value.
   * It is meant only to sort both sides the same way before an ordered comparison, e.g. {@code
   * assertThat(sortedOurs).containsExactlyElementsOf(sortedKernel)}; it is not a natural order
   * (10 sorts before 9, strings before binary). Sort rows in the same form on both sides: both
   * raw, or both after {@link #canonicalRows(List)}, which is what you want for equality anyway.
   */
  public static final Comparator<List<Object>> ROW_ORDER = KernelOracle::compareRows;

  /**
   * Makes a normalized value (or row) comparable with {@code equals}: every {@code byte[]} becomes
   * its lower-case hex string (e.g. {@code {0x01, (byte) 0xAB}} becomes {@code "01ab"}), and lists
   * and maps are copied recursively (lists to {@link ArrayList}, maps to {@link LinkedHashMap} in
   * the same entry order). All other values are returned unchanged. Note that after this a binary
   * value and a string holding the same hex text are equal; tests compare same-schema rows, so
   * this does not matter in practice.
   */
  public static Object canonical(Object v) {
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object e : list) {
        out.add(canonical(e));
      }
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(canonical(e.getKey()), canonical(e.getValue()));
      }
      return out;
    }
    return v;
  }

  /** {@link #canonical(Object)} applied to every row. */
  public static List<List<Object>> canonicalRows(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      @SuppressWarnings("unchecked")
      List<Object> c = (List<Object>) canonical(row);
      out.add(c);
    }
    return out;
  }

  /**
   * The canonical string form used by {@link #ROW_ORDER}: {@code null} is {@code "null"}, {@code
   * byte[]} is {@code "0x"} + hex, strings are quoted, {@link BigDecimal} is its plain string,
   * lists are {@code [a, b]} and maps {@code {k=v, ...}} (recursively); anything else is its
   * {@code toString()} (numbers, booleans, dates, instants). Equal values have equal forms.
   */
  public static String canonicalString(Object v) {
    StringBuilder sb = new StringBuilder();
    appendCanonical(sb, v);
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Calls into the isolated Kernel class loader
  // ---------------------------------------------------------------------------------------------

  private static long checkVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0: " + version);
    }
    return version;
  }

  private static String kernelPath(Path table) {
    return table.toAbsolutePath().normalize().toString();
  }

  @SuppressWarnings("unchecked")
  private static List<List<Object>> readRowsAt(Path table, long version) {
    Thread current = Thread.currentThread();
    ClassLoader saved = current.getContextClassLoader();
    current.setContextClassLoader(Reader.LOADER);
    try {
      return (List<List<Object>>) Reader.READ_ROWS.invokeExact(kernelPath(table), version);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      current.setContextClassLoader(saved);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> stringList(MethodHandle method, Path table, long version) {
    Thread current = Thread.currentThread();
    ClassLoader saved = current.getContextClassLoader();
    current.setContextClassLoader(Reader.LOADER);
    try {
      return (List<String>) method.invokeExact(kernelPath(table), version);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      current.setContextClassLoader(saved);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("Kernel call failed", t);
  }

  /** {@link KernelOracleReader}'s methods, loaded once in the isolated class loader. */
  private static final class Reader {
    /** Also the context class loader during calls: Hadoop and ServiceLoader look classes up there. */
    static final ClassLoader LOADER = IsolatedLoader.create();

    static final MethodHandle READ_ROWS;
    static final MethodHandle COLUMN_NAMES;
    static final MethodHandle PARTITION_COLUMNS;
    static final MethodHandle LATEST_VERSION;

    static {
      try {
        // By name: KernelOracleReader must never be loaded by the test's own class loader.
        Class<?> reader =
            Class.forName(
                KernelOracle.class.getPackageName() + ".KernelOracleReader",
                true,
                LOADER);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType pathAndVersion = MethodType.methodType(List.class, String.class, long.class);
        READ_ROWS = lookup.findStatic(reader, "readRows", pathAndVersion);
        COLUMN_NAMES = lookup.findStatic(reader, "columnNames", pathAndVersion);
        PARTITION_COLUMNS = lookup.findStatic(reader, "partitionColumns", pathAndVersion);
        LATEST_VERSION =
            lookup.findStatic(reader, "latestVersion", MethodType.methodType(long.class, String.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * Builds the class loader for {@link KernelOracleReader}: the test class path (from {@code
   * java.class.path}, the jars the application loader can see, and this class's own location,
   * with manifest-only jars such as Surefire's booter expanded), minus the unshaded Hadoop module
   * jars when Kernel's shaded {@code hadoop-client-api} is present. Its parent is the platform
   * loader, so nothing but the JDK is shared with the test.
   */
  static final class IsolatedLoader {
    /** Unshaded Hadoop module jars, e.g. hadoop-common-3.4.2.jar; not the shaded client ones. */
    private static final Pattern UNSHADED_HADOOP =
        Pattern.compile("hadoop-(?!client-api-|client-runtime-|shaded-)[a-z0-9-]+-\\d[^/\\\\]*\\.jar");

    private static final Pattern HADOOP_CLIENT_API = Pattern.compile("hadoop-client-api-\\d.*\\.jar");

    private IsolatedLoader() {}

    static ClassLoader create() {
      List<URL> urls = new ArrayList<>();
      for (Path entry : classPath()) {
        try {
          urls.add(entry.toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
      return new URLClassLoader("kernel-oracle", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** The entries of the isolated loader, in class path order. */
    static List<Path> classPath() {
      Set<Path> entries = new LinkedHashSet<>();
      for (String e : System.getProperty("java.class.path", "").split(Pattern.quote(File.pathSeparator))) {
        if (!e.isBlank()) {
          addExpanded(entries, Paths.get(e));
        }
      }
      try {
        Enumeration<URL> manifests =
            KernelOracle.class.getClassLoader().getResources(JarFile.MANIFEST_NAME);
        while (manifests.hasMoreElements()) {
          String url = manifests.nextElement().toString();
          if (url.startsWith("jar:file:") && url.contains("!/")) {
            addExpanded(entries, Paths.get(new URI(url.substring(4, url.indexOf("!/")))));
          }
        }
        CodeSource self = KernelOracle.class.getProtectionDomain().getCodeSource();
        if (self != null) {
          addExpanded(entries, Paths.get(self.getLocation().toURI()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
      boolean shadedHadoop =
          entries.stream().anyMatch(p -> HADOOP_CLIENT_API.matcher(fileName(p)).matches());
      List<Path> result = new ArrayList<>();
      for (Path p : entries) {
        if (!(shadedHadoop && UNSHADED_HADOOP.matcher(fileName(p)).matches())) {
          result.add(p);
        }
      }
      return result;
    }

    private static String fileName(Path p) {
      Path name = p.getFileName();
      return name == null ? "" : name.toString();
    }

    /**
     * Adds {@code entry}, except that a manifest-only jar (a Class-Path manifest and no classes,
     * like Surefire's booter jar) is replaced by the entries it names: the loader would otherwise
     * follow that Class-Path to hadoop-common too.
     */
    private static void addExpanded(Set<Path> entries, Path entry) {
      Path abs = entry.toAbsolutePath().normalize();
      if (entries.contains(abs) || !Files.exists(abs)) {
        return;
      }
      if (Files.isRegularFile(abs) && abs.toString().endsWith(".jar")) {
        String classPath = null;
        boolean hasClasses = true;
        try (JarFile jar = new JarFile(abs.toFile())) {
          Manifest manifest = jar.getManifest();
          if (manifest != null) {
            classPath = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
          }
          if (classPath != null && !classPath.isBlank()) {
            hasClasses = jar.stream().anyMatch(e -> e.getName().endsWith(".class"));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + abs, e);
        }
        if (!hasClasses) {
          entries.add(abs); // guards against cycles; removed below
          for (String ref : classPath.trim().split("\\s+")) {
            URI uri = abs.toUri().resolve(ref);
            if ("file".equals(uri.getScheme())) {
              addExpanded(entries, Paths.get(uri));
            }
          }
          entries.remove(abs);
          return;
        }
      }
      entries.add(abs);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ordering
  // ---------------------------------------------------------------------------------------------

  private static int compareRows(List<Object> a, List<Object> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == y) {
        continue;
      }
      if (x == null) {
        return -1;
      }
      if (y == null) {
        return 1;
      }
      int c = canonicalString(x).compareTo(canonicalString(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static void appendCanonical(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof byte[] bytes) {
      sb.append("0x").append(HexFormat.of().formatHex(bytes));
    } else if (v instanceof CharSequence s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '"' || ch == '\\') {
          sb.append('\\');
        }
        sb.append(ch);
      }
      sb.append('"');
    } else if (v instanceof BigDecimal d) {
      sb.append(d.toPlainString());
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        appendCanonical(sb, list.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        appendCanonical(sb, e.getKey());
        sb.append('=');
        appendCanonical(sb, e.getValue());
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }
}
