package io.datashard.internal.parquet;

import io.datashard.ArrayType;
import io.datashard.DataType;
import io.datashard.DecimalType;
import io.datashard.Field;
import io.datashard.MapType;
import io.datashard.PrimitiveType;
import io.datashard.StructType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/** Maps Delta schemas to the Parquet schemas of the data files we write, as Spark and Delta do. */
final class ParquetSchemas {
  /** The message name Spark gives data files; readers ignore it. */
  static final String MESSAGE_NAME = "spark_schema";

  /** Largest decimal precision stored in INT32 / INT64. */
  static final int MAX_INT32_DIGITS = 9;
  static final int MAX_INT64_DIGITS = 18;

  private ParquetSchemas() {}

  /** The Parquet schema of a data file holding rows of this type. */
  static MessageType toParquet(StructType schema) {
    return new MessageType(MESSAGE_NAME, fields(schema));
  }

  private static List<Type> fields(StructType struct) {
    List<Type> fields = new ArrayList<>(struct.size());
    for (Field f : struct.fields()) {
      fields.add(toParquet(f.name(), f.type(), f.nullable()));
    }
    return fields;
  }

  private static Type toParquet(String name, DataType type, boolean nullable) {
    Repetition repetition = nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
    if (type instanceof StructType struct) {
      return Types.buildGroup(repetition).addFields(fields(struct).toArray(new Type[0])).named(name);
    }
    if (type instanceof ArrayType array) {
      return Types.buildGroup(repetition)
          .as(LogicalTypeAnnotation.listType())
          .addField(Types.repeatedGroup()
              .addField(toParquet("element", array.elementType(), array.containsNull()))
              .named("list"))
          .named(name);
    }
    if (type instanceof MapType map) {
      return Types.buildGroup(repetition)
          .as(LogicalTypeAnnotation.mapType())
          .addField(Types.repeatedGroup()
              .addField(toParquet("key", map.keyType(), false))
              .addField(toParquet("value", map.valueType(), map.valueContainsNull()))
              .named("key_value"))
          .named(name);
    }
    if (type instanceof DecimalType decimal) {
      LogicalTypeAnnotation annotation = LogicalTypeAnnotation.decimalType(decimal.scale(), decimal.precision());
      if (decimal.precision() <= MAX_INT32_DIGITS) {
        return Types.primitive(PrimitiveTypeName.INT32, repetition).as(annotation).named(name);
      }
      if (decimal.precision() <= MAX_INT64_DIGITS) {
        return Types.primitive(PrimitiveTypeName.INT64, repetition).as(annotation).named(name);
      }
      return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
          .length(decimalBytes(decimal.precision()))
          .as(annotation)
          .named(name);
    }
    PrimitiveType primitive = (PrimitiveType) type;
    switch (primitive) {
      case STRING:
        return primitive(PrimitiveTypeName.BINARY, repetition, LogicalTypeAnnotation.stringType(), name);
      case LONG:
        return primitive(PrimitiveTypeName.INT64, repetition, null, name);
      case INTEGER:
        return primitive(PrimitiveTypeName.INT32, repetition, null, name);
      case SHORT:
        return primitive(PrimitiveTypeName.INT32, repetition, LogicalTypeAnnotation.intType(16, true), name);
      case BYTE:
        return primitive(PrimitiveTypeName.INT32, repetition, LogicalTypeAnnotation.intType(8, true), name);
      case FLOAT:
        return primitive(PrimitiveTypeName.FLOAT, repetition, null, name);
      case DOUBLE:
        return primitive(PrimitiveTypeName.DOUBLE, repetition, null, name);
      case BOOLEAN:
        return primitive(PrimitiveTypeName.BOOLEAN, repetition, null, name);
      case BINARY:
        return primitive(PrimitiveTypeName.BINARY, repetition, null, name);
      case DATE:
        return primitive(PrimitiveTypeName.INT32, repetition, LogicalTypeAnnotation.dateType(), name);
      case TIMESTAMP:
        return primitive(PrimitiveTypeName.INT64, repetition,
            LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS), name);
      case TIMESTAMP_NTZ:
        return primitive(PrimitiveTypeName.INT64, repetition,
            LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS), name);
      default:
        throw new AssertionError(primitive);
    }
  }

  private static Type primitive(
      PrimitiveTypeName physical, Repetition repetition, LogicalTypeAnnotation annotation, String name) {
    return Types.primitive(physical, repetition).as(annotation).named(name);
  }

  /**
   * The fewest bytes whose two's complement holds every unscaled value of this precision, i.e. the
   * least n with 2^(8n-1) > 10^precision - 1 (Spark's FIXED_LEN_BYTE_ARRAY length).
   */
  static int decimalBytes(int precision) {
    BigInteger limit = BigInteger.TEN.pow(precision);
    int n = 1;
    while (BigInteger.ONE.shiftLeft(8 * n - 1).compareTo(limit) < 0) {
      n++;
    }
    return n;
  }
}
