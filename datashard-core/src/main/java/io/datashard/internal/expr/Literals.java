package io.datashard.internal.expr;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** Parsing of date-time text in expressions: ISO-8601 or SQL style, with or without an offset. */
final class Literals {
  private static final DateTimeFormatter FLEXIBLE = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffsetId().optionalEnd()
      .toFormatter();

  private Literals() {}

  /** An instant; text without an offset is UTC. */
  static Instant parseInstant(String text) {
    TemporalAccessor t = FLEXIBLE.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
    return t instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
  }

  /** A local date-time; an offset is refused. */
  static LocalDateTime parseLocal(String text) {
    return LocalDateTime.parse(text, FLEXIBLE);
  }
}
