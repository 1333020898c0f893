package io.gatehouse.server.cli;

import io.gatehouse.adapter.h2.DemoDatabase;
import io.gatehouse.core.Gatehouse;
import io.gatehouse.core.config.ConfigException;
import io.gatehouse.core.config.ConfigLoader;
import io.gatehouse.core.config.GatehouseConfig;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.core.spi.AdapterRegistry;
import io.gatehouse.server.CredentialCheck;
import io.gatehouse.server.Credentials;
import io.gatehouse.server.GatehouseServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse serve [--config FILE] [--port N] [--bind ADDRESS] [--insecure]}: the JDBC server.
 * Without a configuration it serves the built-in demo database (an in-memory H2 of a small shop), so
 * a new user can connect within a minute with nothing installed.
 *
 * <p>SIGTERM (and Ctrl-C) stop it gracefully: it stops accepting, lets running requests finish for
 * {@code server.shutdownGrace}, then closes the sources' pools.
 */
@Command(
    name = "serve",
    separator = " ",
    sortOptions = false,
    description = {
        "Run the JDBC server (Avatica over HTTP; protobuf and JSON).",
        "Without --config it serves a built-in demo database (source 'demo')."},
    footerHeading = "%n",
    footer = {"Connect with the Avatica remote driver (org.apache.calcite.avatica:avatica-core):",
        "  jdbc:avatica:remote:url=http://127.0.0.1:8765;serialization=protobuf",
        "Exit codes: 0 stopped normally, 2 invalid configuration or the address cannot be used."})
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "The Gatehouse configuration (YAML). Without it: the built-in demo database.")
  Path config;

  @Option(names = {"-p", "--port"}, paramLabel = "N",
      description = "Port to listen on (overrides server.port; default 8765).")
  Integer port;

  @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS",
      description = "Address to listen on (overrides server.bind; default 127.0.0.1).")
  String bind;

  @Option(names = "--insecure",
      description = "Allow listening on a non-loopback address without TLS and users (not for production).")
  boolean insecure;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  /** Set by tests to stop a running server. */
  final CountDownLatch stop = new CountDownLatch(1);
  volatile GatehouseServer running;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port != null && (port < 0 || port > 65535)) {
      err.println("ERROR CONFIG_INVALID: --port must be 0..65535, got " + port);
      return GatehouseCommand.EXIT_USAGE;
    }
    AdapterRegistry adapters = AdapterRegistry.discover();
    DemoDatabase demo = null;
    GatehouseConfig cfg;
    try {
      if (config == null) {
        demo = DemoDatabase.start("gatehouse_demo");
        cfg = new ConfigLoader(adapters).fromMap(Map.of("sources", List.of(demo.sourceConfig("demo"))));
        err.println("No --config given: serving the built-in demo database as source 'demo'"
            + " (tables demo.public.customers, orders, order_items, products, regions).");
      } else {
        cfg = new ConfigLoader(adapters).load(config);
      }
    } catch (ConfigException e) {
      Errors.printConfigProblems(e, String.valueOf(config), err);
      return GatehouseCommand.EXIT_USAGE;
    }
    Gatehouse engine = Gatehouse.open(cfg, adapters);
    CredentialCheck credentials;
    try {
      credentials = Credentials.of(cfg.server());
    } catch (IllegalArgumentException e) {
      err.println("ERROR CONFIG_INVALID: server.users: " + e.getMessage());
      engine.close();
      return GatehouseCommand.EXIT_USAGE;
    }
    GatehouseServer server = new GatehouseServer(engine, cfg.server(), credentials, bind, port, insecure);
    try {
      server.start();
    } catch (GatehouseException e) {
      err.println("ERROR " + e.code() + ": " + e.detail());
      engine.close();
      if (demo != null) {
        demo.close();
      }
      return GatehouseCommand.EXIT_USAGE;
    }
    running = server;
    DemoDatabase demoToClose = demo;
    Thread hook = new Thread(() -> {
      server.close();
      engine.close();
      if (demoToClose != null) {
        demoToClose.close();
      }
      stop.countDown();
    }, "gatehouse-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("Gatehouse JDBC server listening on " + server.url());
    out.println("JDBC URL: " + server.jdbcUrl());
    if (cfg.server().users().isEmpty()) {
      out.println("Anonymous access from this machine (no server.users configured).");
    } else {
      out.println("Log in with a user of server.users: add ;avatica_user=NAME;avatica_password=... to the URL.");
    }
    out.println("Try: sqlline -u '" + server.jdbcUrl() + "' -e 'select * from "
        + (demo != null ? "demo.public.customers" : cfg.sources().get(0).id() + "...") + "'");
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      hook.run();
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already running the hook
    }
    return GatehouseCommand.EXIT_OK;
  }
}
