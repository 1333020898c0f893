package io.gatehouse.core.config;

import static io.gatehouse.core.config.ConfigTestSupport.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.core.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation reports every problem of a file at once, in file order, each with its path and fix. */
class ConfigMultipleProblemsTest {

  @Test
  void everyProblemIsReportedInOneException() {
    String yaml = """
        engine:
          maxRows: 0
          queryTimeout: 30 seconds
        sources:
          - id: shop
            type: testdb
            host: db.example
            database: shop
            user: reader
            pool: { maxSize: 2, minIdle: 3 }
          - id: crm
            type: testdb
            host: db.example
            port: 70000
            user: reader
            tls: maybe
          - id: SHOP
            type: oracle
            hostname: x
        server:
          port: 80000
          users:
            - name: alice
              passwordHash: hunter2
              sources: [shop, nope]
        extras: true
        """;
    ConfigException e = invalid(yaml);

    List<ConfigProblem> expected = List.of(
        new ConfigProblem("engine.maxRows", "must be 1..1000000000, got 0"),
        new ConfigProblem("engine.queryTimeout",
            "must be a duration such as 500ms, 30s, 5m or 1h, got '30 seconds'"),
        new ConfigProblem("sources[0].pool.minIdle",
            "must not exceed maxSize (2), got 3; lower minIdle or raise maxSize"),
        new ConfigProblem("sources[1].port", "must be 1..65535, got 70000"),
        new ConfigProblem("sources[1].database", "is required (the database to connect to)"),
        new ConfigProblem("sources[1].tls",
            "must be one of verify-full, verify-ca, require, disable, got 'maybe'"),
        new ConfigProblem("sources[2].id",
            "duplicate source id 'SHOP' (also used by sources[0]); ids must be unique, ignoring case"),
        new ConfigProblem("sources[2].type", "unknown source type 'oracle'; known types: testdb"),
        new ConfigProblem("server.port", "must be 1..65535, got 80000"),
        new ConfigProblem("server.users[0].passwordHash",
            "must be an argon2id or bcrypt hash (create one with: gatehouse user add NAME), not a password"),
        new ConfigProblem("server.users[0].sources[1]",
            "unknown source 'nope'; use the id of a source under 'sources:' (defined sources: shop, crm)"),
        new ConfigProblem("extras", "unknown key; known keys here: allowPlaintextSecrets, masterKeyFile, engine, sources, server, audit"));
    assertEquals(expected, e.problems());

    StringBuilder message = new StringBuilder("CONFIG_INVALID: test.yaml has 12 problems:");
    expected.forEach(p -> message.append("\n  - ").append(p.path()).append(": ").append(p.message()));
    assertEquals(message.toString(), e.getMessage());
    assertEquals(ErrorCode.CONFIG_INVALID, e.code());
    assertEquals("F0000", e.sqlState());
  }

  @Test
  void singleProblemIsWordedInTheSingular() {
    ConfigException e = invalid(ConfigTestSupport.sourceWith("port", "0"));
    assertEquals("CONFIG_INVALID: test.yaml has 1 problem:\n  - sources[0].port: must be 1..65535, got 0",
        e.getMessage());
    assertEquals("test.yaml has 1 problem:\n  - sources[0].port: must be 1..65535, got 0", e.detail());
  }

  @Test
  void problemsListIsImmutable() {
    ConfigException e = invalid(ConfigTestSupport.sourceWith("port", "0"));
    assertThrows(UnsupportedOperationException.class,
        () -> e.problems().add(new ConfigProblem("x", "y")));
  }
}
