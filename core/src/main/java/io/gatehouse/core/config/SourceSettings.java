package io.gatehouse.core.config;

/**
 * The settings of one source that only its adapter understands (host, account, project...), read and
 * validated by the adapter from the source's mapping. Implementations print secrets as {@code ****}.
 */
public interface SourceSettings {}
