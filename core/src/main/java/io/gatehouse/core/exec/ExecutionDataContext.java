package io.gatehouse.core.exec;

import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * What compiled engine code sees of its query: parameter values ({@code ?0}, {@code ?1}...), objects
 * the compiler stashed, the {@link QueryExecution}, the cancel flag, and the session's clock. The
 * session time zone is UTC, so that functions over timestamps give the same answer on every server.
 */
public final class ExecutionDataContext implements DataContext {
  private final SchemaPlus rootSchema;
  private final JavaTypeFactory typeFactory;
  private final QueryExecution execution;
  private final Map<String, Object> internalParameters;
  private final long currentTimeMillis = System.currentTimeMillis();

  public ExecutionDataContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory,
      QueryExecution execution, Map<String, Object> internalParameters) {
    this.rootSchema = rootSchema;
    this.typeFactory = typeFactory;
    this.execution = execution;
    this.internalParameters = internalParameters;
  }

  @Override
  public SchemaPlus getRootSchema() {
    return rootSchema;
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return typeFactory;
  }

  @Override
  public QueryProvider getQueryProvider() {
    return null;
  }

  @Override
  public Object get(String name) {
    if (name.startsWith("?")) {
      try {
        return execution.parameterValue(Integer.parseInt(name.substring(1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (QueryExecution.KEY.equals(name)) {
      return execution;
    }
    Object stashed = internalParameters.get(name);
    if (stashed != null) {
      return stashed;
    }
    if (Variable.CANCEL_FLAG.camelName.equals(name)) {
      return execution.cancelFlag();
    }
    if (Variable.CURRENT_TIMESTAMP.camelName.equals(name)
        || Variable.UTC_TIMESTAMP.camelName.equals(name)
        || Variable.LOCAL_TIMESTAMP.camelName.equals(name)) {
      return currentTimeMillis;
    }
    if (Variable.TIME_ZONE.camelName.equals(name)) {
      return TimeZone.getTimeZone("UTC");
    }
    if (Variable.LOCALE.camelName.equals(name)) {
      return Locale.ROOT;
    }
    if (Variable.TIMEOUT.camelName.equals(name)) {
      return execution.remaining().toMillis();
    }
    return null;
  }
}
