package io.datashard.internal.table;

import io.datashard.CommitResult;
import io.datashard.DataType;
import io.datashard.Expression;
import io.datashard.Expression.Call;
import io.datashard.Expression.Literal;
import io.datashard.Expression.Operator;
import io.datashard.Expressions;
import io.datashard.Field;
import io.datashard.InvalidRowException;
import io.datashard.MergeBuilder;
import io.datashard.NoSuchColumnException;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import io.datashard.internal.expr.BoundExpression;
import io.datashard.internal.rows.RowConverter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A merge of source rows on key columns, run as one re-planning transaction. */
final class MergeBuilderImpl implements MergeBuilder {
  /** Up to this many distinct key values, the read predicate lists them; above it, their range. */
  private static final int MAX_LISTED_KEYS = 1000;

  private final TableImpl table;
  private final Iterable<?> source;
  private List<String> keys = List.of();
  private boolean updateAll;
  private boolean delete;
  private boolean insert;

  MergeBuilderImpl(TableImpl table, Iterable<?> source) {
    this.table = table;
    this.source = Objects.requireNonNull(source, "sourceRows");
  }

  @Override
  public MergeBuilder on(String... keyColumns) {
    return on(List.of(keyColumns));
  }

  @Override
  public MergeBuilder on(List<String> keyColumns) {
    this.keys = List.copyOf(keyColumns);
    return this;
  }

  @Override
  public MergeBuilder whenMatchedUpdateAll() {
    updateAll = true;
    return this;
  }

  @Override
  public MergeBuilder whenMatchedDelete() {
    delete = true;
    return this;
  }

  @Override
  public MergeBuilder whenNotMatchedInsert() {
    insert = true;
    return this;
  }

  @Override
  public CommitResult execute() {
    if (keys.isEmpty()) {
      throw new IllegalStateException("merge needs key columns: call on(...)");
    }
    if (updateAll && delete) {
      throw new IllegalStateException("a merge can update or delete matched rows, not both");
    }
    boolean upsert = !updateAll && !delete && !insert;
    boolean update = updateAll || upsert;
    boolean ins = insert || upsert;
    return table.transact(tx -> run((TransactionImpl) tx, update, delete, ins));
  }

  private void run(TransactionImpl tx, boolean update, boolean delete, boolean ins) {
    StructType schema = tx.base().schema().asStruct();
    int[] keyIndexes = new int[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      keyIndexes[i] = schema.indexOf(keys.get(i));
      if (keyIndexes[i] < 0) {
        throw new NoSuchColumnException("table " + table.location() + " has no key column '" + keys.get(i)
            + "'; its columns are " + schema.fieldNames());
      }
      DataType t = schema.fields().get(keyIndexes[i]).type();
      if (!(t instanceof PrimitiveType) && !(t instanceof io.datashard.DecimalType)) {
        throw new NoSuchColumnException("key column '" + keys.get(i) + "' is a " + t.toText()
            + "; keys must be of a primitive or decimal type");
      }
    }
    RowConverter converter = new RowConverter(schema);
    Map<List<Object>, Object[]> byKey = new HashMap<>();
    Map<List<Object>, Long> firstIndex = new HashMap<>();
    List<Object[]> nullKeyed = new ArrayList<>();
    long index = 0;
    for (Object row : source) {
      Object[] values = converter.convert(row, index);
      List<Object> key = key(values, keyIndexes);
      if (key == null) {
        nullKeyed.add(values);
      } else if (byKey.putIfAbsent(key, values) != null) {
        throw new InvalidRowException(index, String.join(",", keys), "duplicate merge key " + key + " (also in row "
            + firstIndex.get(key) + "); a merge source must have unique keys");
      } else {
        firstIndex.put(key, index);
      }
      index++;
    }
    if (byKey.isEmpty() && nullKeyed.isEmpty()) {
      return;
    }
    Set<List<Object>> matched = new HashSet<>();
    long rewritten = 0;
    if (!byKey.isEmpty() && !update && !delete) {
      // Insert-only: matched rows stay as they are; reading them (through the transaction, so the
      // read is recorded) is enough to know which source rows to insert.
      Expression readPredicate = keyPredicate(schema, keyIndexes, byKey.keySet());
      try (io.datashard.CloseableIterator<io.datashard.Row> rows = tx.scan().where(readPredicate).iterator()) {
        while (rows.hasNext()) {
          io.datashard.Row row = rows.next();
          Object[] values = new Object[schema.size()];
          for (int i : keyIndexes) {
            values[i] = row.get(i);
          }
          List<Object> k = key(values, keyIndexes);
          if (k != null && byKey.containsKey(k)) {
            matched.add(k);
          }
        }
      }
    } else if (!byKey.isEmpty()) {
      BoundExpression readPredicate = BoundExpression.bindPredicate(keyPredicate(schema, keyIndexes, byKey.keySet()), schema);
      rewritten = tx.rewrite(readPredicate, row -> {
        List<Object> k = key(row, keyIndexes);
        return k != null && byKey.containsKey(k);
      }, (row, out) -> {
        List<Object> k = key(row, keyIndexes);
        matched.add(k);
        if (update) {
          out.add(Rows.toReadForm(schema, byKey.get(k)));
        }
      });
    }
    tx.count(update ? rewritten : 0, update ? 0 : rewritten);
    if (ins) {
      List<Object[]> inserts = new ArrayList<>(nullKeyed);
      for (Map.Entry<List<Object>, Object[]> e : byKey.entrySet()) {
        if (!matched.contains(e.getKey())) {
          inserts.add(e.getValue());
        }
      }
      tx.appendNormalized(inserts);
    }
    tx.operation("MERGE", "keys", JsonText.of(keys));
  }

  /** The key of a row (binary values wrapped for equality), or null if any key value is null. */
  private static List<Object> key(Object[] row, int[] keyIndexes) {
    List<Object> key = new ArrayList<>(keyIndexes.length);
    for (int i : keyIndexes) {
      Object v = row[i];
      if (v == null) {
        return null;
      }
      key.add(v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
    }
    return key;
  }

  /** A predicate every matching table row satisfies: per key column, its values listed or their range. */
  private static Expression keyPredicate(StructType schema, int[] keyIndexes, Set<List<Object>> keys) {
    List<Expression> perColumn = new ArrayList<>();
    for (int c = 0; c < keyIndexes.length; c++) {
      Field f = schema.fields().get(keyIndexes[c]);
      Set<Object> values = new LinkedHashSet<>();
      for (List<Object> k : keys) {
        Object v = k.get(c);
        values.add(v instanceof ByteBuffer b ? b.array() : v);
      }
      Expression column = Expressions.column(f.name());
      if (values.size() <= MAX_LISTED_KEYS || f.type() == PrimitiveType.BINARY || f.type() == PrimitiveType.BOOLEAN) {
        List<Expression> args = new ArrayList<>();
        args.add(Expressions.columnPath(f.name()));
        for (Object v : values) {
          args.add(new Literal(v, f.type()));
        }
        perColumn.add(new Call(Operator.IN, args));
      } else {
        Object min = null;
        Object max = null;
        for (Object v : values) {
          min = min == null || BoundExpression.compareValues(v, min, f.type()) < 0 ? v : min;
          max = max == null || BoundExpression.compareValues(v, max, f.type()) > 0 ? v : max;
        }
        perColumn.add(new Call(Operator.BETWEEN, List.of(column, new Literal(min, f.type()), new Literal(max, f.type()))));
      }
    }
    return perColumn.size() == 1 ? perColumn.get(0) : new Call(Operator.AND, perColumn);
  }
}
