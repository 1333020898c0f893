package io.gatehouse.core;

/**
 * A column of a query result.
 *
 * @param name the column label
 * @param typeName the SQL type name ({@code INTEGER}, {@code DECIMAL}, {@code VARCHAR},
 *     {@code TIMESTAMP}, {@code TIMESTAMP WITH TIME ZONE}, ...)
 * @param jdbcType the {@link java.sql.Types} code
 * @param precision precision for numbers, length for strings and binary, fractional-second digits for
 *     times; 0 when not applicable
 * @param scale digits after the point for DECIMAL; 0 otherwise
 * @param javaClass the class of the values returned by {@link QueryResult#get(int)}
 */
public record Column(String name, String typeName, int jdbcType, int precision, int scale,
    boolean nullable, Class<?> javaClass) {}
