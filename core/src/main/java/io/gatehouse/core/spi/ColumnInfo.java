package io.gatehouse.core.spi;

/**
 * A column as read from a source's catalog, before type mapping.
 *
 * @param sourceType the source's own type name, without decorations ({@code numeric},
 *     {@code timestamp with time zone}, {@code int unsigned})
 * @param precision declared precision or length, or -1
 * @param scale declared scale, or -1
 * @param defaultValue the default expression as the source prints it, or null
 * @param comment the column comment, or null
 */
public record ColumnInfo(
    String name, int position, String sourceType, int precision, int scale, boolean nullable,
    String defaultValue, String comment) {}
