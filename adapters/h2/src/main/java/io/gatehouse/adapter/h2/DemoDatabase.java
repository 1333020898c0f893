package io.gatehouse.adapter.h2;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The built-in demo source: an in-memory H2 database of a small retailer, so that
 * {@code gatehouse serve} without a configuration gives a new user something real to query within a
 * minute, with nothing installed.
 *
 * <p>Tables (schema PUBLIC): {@code regions} (8), {@code customers} (200), {@code products} (60),
 * {@code orders} (1,000), {@code order_items} (about 3,000), and the view {@code order_totals}; with
 * keys and comments. The data comes from a fixed seed, so it is the same on every machine.
 *
 * <p>Gatehouse reads it as {@code gatehouse_demo_reader}, a login that can only SELECT, with a
 * password made fresh at every start.
 */
public final class DemoDatabase implements AutoCloseable {
  public static final String READER = "GATEHOUSE_DEMO_READER";

  private final String name;
  private final String readerPassword;
  private final Connection keeper;

  private DemoDatabase(String name, String readerPassword, Connection keeper) {
    this.name = name;
    this.readerPassword = readerPassword;
    this.keeper = keeper;
  }

  /** Creates and loads the in-memory database {@code name} (letters, digits, '_'). */
  public static DemoDatabase start(String name) {
    if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("demo database name must be letters, digits and '_'");
    }
    SecureRandom random = new SecureRandom();
    byte[] a = new byte[18];
    byte[] r = new byte[18];
    random.nextBytes(a);
    random.nextBytes(r);
    String adminPassword = HexFormat.of().formatHex(a);
    String readerPassword = HexFormat.of().formatHex(r);
    try {
      Connection admin = DriverManager.getConnection(
          "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "GATEHOUSE_DEMO_ADMIN", adminPassword);
      try (Statement s = admin.createStatement()) {
        createSchema(s);
        load(admin);
        s.execute("CREATE USER " + READER + " PASSWORD '" + readerPassword + "'");
        s.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + READER);
        s.execute("ANALYZE");
      }
      return new DemoDatabase(name, readerPassword, admin);
    } catch (SQLException e) {
      throw new IllegalStateException("the demo database could not be created: " + e.getMessage(), e);
    }
  }

  /** The source mapping for {@code ConfigLoader.fromMap}: this database, read by the reader login. */
  public Map<String, Object> sourceConfig(String id) {
    return Map.of("id", id, "type", "h2", "memory", name, "user", READER, "password", readerPassword);
  }

  public String name() {
    return name;
  }

  public String readerPassword() {
    return readerPassword;
  }

  /** A connection with write rights, for tests that compare results with direct execution. */
  public Connection adminConnection() {
    return keeper;
  }

  @Override
  public void close() {
    try (Statement s = keeper.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // already gone
    }
    try {
      keeper.close();
    } catch (SQLException e) {
      // already gone
    }
  }

  private static void createSchema(Statement s) throws SQLException {
    for (String ddl : List.of(
        "CREATE TABLE regions (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL,"
            + " country CHAR(2) NOT NULL)",
        "COMMENT ON TABLE regions IS 'Sales regions'",
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL,"
            + " email VARCHAR(120) NOT NULL UNIQUE, region_id INTEGER NOT NULL REFERENCES regions(id),"
            + " signed_up DATE NOT NULL, vip BOOLEAN DEFAULT FALSE NOT NULL,"
            + " credit_limit NUMERIC(10,2))",
        "COMMENT ON TABLE customers IS 'People and companies who buy from the shop'",
        "COMMENT ON COLUMN customers.credit_limit IS 'NULL when the customer pays up front'",
        "CREATE TABLE products (id INTEGER PRIMARY KEY, sku CHAR(8) NOT NULL UNIQUE,"
            + " name VARCHAR(80) NOT NULL, category VARCHAR(30) NOT NULL, price NUMERIC(10,2) NOT NULL,"
            + " discontinued BOOLEAN DEFAULT FALSE NOT NULL)",
        "COMMENT ON TABLE products IS 'What the shop sells'",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL"
            + " REFERENCES customers(id), ordered_at TIMESTAMP NOT NULL, status VARCHAR(12) NOT NULL,"
            + " shipped_on DATE)",
        "COMMENT ON TABLE orders IS 'One row per checkout'",
        "CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders(id),"
            + " line_no SMALLINT NOT NULL, product_id INTEGER NOT NULL REFERENCES products(id),"
            + " quantity INTEGER NOT NULL, unit_price NUMERIC(10,2) NOT NULL,"
            + " PRIMARY KEY (order_id, line_no))",
        "COMMENT ON TABLE order_items IS 'The lines of each order'",
        "CREATE VIEW order_totals AS SELECT o.id AS order_id, o.customer_id, o.ordered_at, o.status,"
            + " SUM(i.quantity * i.unit_price) AS total FROM orders o JOIN order_items i"
            + " ON i.order_id = o.id GROUP BY o.id, o.customer_id, o.ordered_at, o.status",
        "COMMENT ON TABLE order_totals IS 'Each order with the sum of its lines'")) {
      s.execute(ddl);
    }
  }

  private static final String[][] REGIONS = {{"Iberia", "PT"}, {"Nordics", "NO"}, {"Alps", "CH"},
      {"Benelux", "NL"}, {"Kanto", "JP"}, {"Pacific Northwest", "US"}, {"Patagonia", "AR"},
      {"Maghreb", "MA"}};
  private static final String[] FIRST = {"Ana", "Björn", "Chen", "Dara", "Émile", "Fatima", "Giulia",
      "Hiro", "Inés", "Jonas", "Kwame", "Lena", "Mateo", "Nora", "Olu", "Priya", "Quinn", "Rosa",
      "Sven", "Tomás", "Uma", "Viktor", "Wen", "Yara", "Zoë"};
  private static final String[] LAST = {"Almeida", "Berg", "Costa", "Dubois", "Eriksen", "Fujita",
      "García", "Haddad", "Ito", "Jansen", "Kowalski", "López", "Moreau", "Nakamura", "Okafor",
      "Pereira", "Rossi", "Schmidt", "Tanaka", "Varga"};
  private static final String[][] CATEGORIES = {{"Coffee", "Espresso beans", "Filter roast",
      "Decaf blend", "Cold brew pack", "Single origin"}, {"Tea", "Green sencha", "Earl grey",
      "Rooibos", "Chai mix", "Oolong"}, {"Equipment", "Pour-over kit", "Grinder", "Kettle",
      "Scale", "French press"}, {"Bakery", "Sourdough loaf", "Cinnamon roll", "Croissant",
      "Rye bread", "Focaccia"}};
  private static final String[] STATUSES = {"placed", "paid", "shipped", "delivered", "cancelled"};

  private static void load(Connection c) throws SQLException {
    Random random = new Random(20_24_11_25L);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO regions VALUES (?, ?, ?)")) {
      for (int i = 0; i < REGIONS.length; i++) {
        ps.setInt(1, i + 1);
        ps.setString(2, REGIONS[i][0]);
        ps.setString(3, REGIONS[i][1]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (int id = 1; id <= 200; id++) {
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        ps.setInt(1, id);
        ps.setString(2, first + " " + last);
        ps.setString(3, (first + "." + last).toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z.]", "") + id + "@example.com");
        ps.setInt(4, 1 + random.nextInt(REGIONS.length));
        ps.setObject(5, LocalDate.of(2019, 1, 1).plusDays(random.nextInt(2000)));
        ps.setBoolean(6, random.nextInt(10) == 0);
        ps.setBigDecimal(7, random.nextInt(4) == 0 ? null
            : BigDecimal.valueOf(500 + random.nextInt(19_500)).setScale(2));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    BigDecimal[] prices = new BigDecimal[61];
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?)")) {
      int id = 1;
      for (String[] category : CATEGORIES) {
        for (int variant = 0; variant < 3; variant++) {
          for (int i = 1; i < category.length; i++) {
            if (id > 60) {
              break;
            }
            String size = variant == 0 ? "" : variant == 1 ? " (large)" : " (gift box)";
            prices[id] = BigDecimal.valueOf(300 + random.nextInt(6_000), 2)
                .multiply(BigDecimal.valueOf(variant + 1)).setScale(2, RoundingMode.HALF_UP);
            ps.setInt(1, id);
            ps.setString(2, String.format("%s-%04d", category[0].substring(0, 3).toUpperCase(
                java.util.Locale.ROOT), id));
            ps.setString(3, category[i] + size);
            ps.setString(4, category[0]);
            ps.setBigDecimal(5, prices[id]);
            ps.setBoolean(6, random.nextInt(15) == 0);
            ps.addBatch();
            id++;
          }
        }
      }
      ps.executeBatch();
    }
    try (PreparedStatement orders = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?)");
        PreparedStatement items = c.prepareStatement("INSERT INTO order_items VALUES (?, ?, ?, ?, ?)")) {
      for (int id = 1; id <= 1_000; id++) {
        LocalDateTime at = LocalDateTime.of(2024, 1, 1, 8, 0)
            .plusMinutes(random.nextInt(60 * 24 * 330));
        String status = STATUSES[random.nextInt(STATUSES.length)];
        orders.setInt(1, id);
        orders.setInt(2, 1 + random.nextInt(200));
        orders.setObject(3, at);
        orders.setString(4, status);
        orders.setObject(5, status.equals("shipped") || status.equals("delivered")
            ? at.toLocalDate().plusDays(1 + random.nextInt(5)) : null);
        orders.addBatch();
        int lines = 1 + random.nextInt(5);
        for (int line = 1; line <= lines; line++) {
          int product = 1 + random.nextInt(60);
          items.setInt(1, id);
          items.setShort(2, (short) line);
          items.setInt(3, product);
          items.setInt(4, 1 + random.nextInt(4));
          items.setBigDecimal(5, prices[product]);
          items.addBatch();
        }
      }
      orders.executeBatch();
      items.executeBatch();
    }
  }
}
