package io.gatehouse.adapter.h2;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Gatehouse's built-in demo source: an in-memory H2 database of a small coffee and tea retailer,
 * loaded in this JVM, so that Gatehouse can run with no configuration and nothing installed.
 *
 * <pre>
 * regions      6    sales regions
 * categories   8    product categories
 * products     60   with category, price, weight, launch date
 * customers    200  with country, region, sign-up instant, VIP flag
 * orders       1000 in 2024, with status, shipping date and fee
 * order_items  3040 order lines: product, quantity, price paid
 * order_totals      view: one row per order with its item count, units, subtotal and total
 * </pre>
 *
 * <p>Names are lower case (quoted in H2), in schema {@code PUBLIC}, with primary and foreign keys and
 * a comment on every table and column. The data is generated from a fixed seed, so it is the same on
 * every machine and in every run. Loading takes about half a second in a fresh JVM, plus as much again
 * for H2's own start-up (0.2 s when the JVM is warm).
 *
 * <p>Gatehouse reads it as {@code gatehouse_demo_reader}, a login that can only SELECT (an in-memory
 * H2 database cannot be opened read-only), with a password generated at each start. The admin login
 * that created the data has a random password that is never exposed.
 *
 * <pre>{@code
 * DemoDatabase demo = DemoDatabase.start(DemoDatabase.DEFAULT_NAME);
 * GatehouseConfig config = ConfigLoader.withDiscoveredAdapters()
 *     .fromMap(Map.of("sources", List.of(demo.sourceConfig("demo"))));
 * // SELECT * FROM demo.public.order_totals ORDER BY total DESC LIMIT 10
 * }</pre>
 */
public final class DemoDatabase implements AutoCloseable {
  /** The name to use unless there is a reason for another (the demo {@code gatehouse serve} runs). */
  public static final String DEFAULT_NAME = "gatehouse_demo";

  /** The login Gatehouse reads with: SELECT on schema PUBLIC and nothing else. */
  public static final String READER_USER = "gatehouse_demo_reader";

  private static final String ADMIN_USER = "gatehouse_demo_admin";
  private static final long SEED = 20240917L;
  private static final Map<String, DemoDatabase> STARTED = new HashMap<>();

  private final String name;
  private final String adminPassword;
  private final String readerPassword;
  private boolean closed;

  private DemoDatabase(String name, String adminPassword, String readerPassword) {
    this.name = name;
    this.adminPassword = adminPassword;
    this.readerPassword = readerPassword;
  }

  /**
   * Creates and loads the in-memory database {@code jdbc:h2:mem:<name>} (kept until {@link #close()}
   * or the end of the JVM), or returns the one this class already started under that name.
   *
   * @param name letters, digits and {@code _}, as the {@code memory} key of an H2 source accepts
   * @throws IllegalArgumentException for any other name
   * @throws IllegalStateException when this JVM already has an in-memory H2 database of that name that
   *     this class did not create, or loading fails
   */
  public static synchronized DemoDatabase start(String name) {
    if (name == null || !H2Adapter.MEMORY_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a demo database name holds only letters, digits and '_'"
          + " (at most 64), got '" + name + "'");
    }
    DemoDatabase running = STARTED.get(name);
    if (running != null) {
      return running;
    }
    DemoDatabase db = new DemoDatabase(name, randomPassword(), randomPassword());
    Properties admin = new Properties();
    admin.setProperty("user", ADMIN_USER);
    admin.setProperty("password", db.adminPassword);
    Connection c;
    try {
      // The first connection creates the database and makes its user the admin.
      c = new org.h2.Driver().connect("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", admin);
    } catch (SQLException e) {
      if (e.getErrorCode() == org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD) {
        throw new IllegalStateException("an in-memory H2 database named '" + name + "' already exists"
            + " in this JVM and was not created by DemoDatabase; choose another name", e);
      }
      throw new IllegalStateException("the demo database could not be created (SQLState "
          + e.getSQLState() + ")", e);
    }
    try (c) {
      c.setAutoCommit(false);
      db.load(c);
      c.commit();
    } catch (SQLException e) {
      db.shutdown();
      throw new IllegalStateException("the demo database could not be loaded (SQLState "
          + e.getSQLState() + ")", e);
    }
    STARTED.put(name, db);
    return db;
  }

  /** The name of the in-memory database (the {@code memory} key of its source). */
  public String name() {
    return name;
  }

  /** The JDBC URL of the database, without credentials, for reading it directly in this JVM. */
  public String url() {
    return "jdbc:h2:mem:" + name;
  }

  /** The read-only login, {@value #READER_USER}. */
  public String readerUser() {
    return READER_USER;
  }

  /** The reader's password, generated at start. */
  public String readerPassword() {
    return readerPassword;
  }

  /**
   * The source mapping for {@code ConfigLoader.fromMap}: {@code id}, {@code type: h2}, {@code memory},
   * the reader's {@code user} and {@code password}, {@code schemas: [PUBLIC]}. Put it in the
   * {@code sources} list; other keys ({@code queryTimeout}, {@code pool}) may be added to the copy.
   */
  public Map<String, Object> sourceConfig(String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("type", "h2");
    m.put("memory", name);
    m.put("user", READER_USER);
    m.put("password", readerPassword);
    m.put("schemas", List.of("PUBLIC"));
    return m;
  }

  /**
   * Drops the database (H2 {@code SHUTDOWN}): open connections to it fail from now on. A later
   * {@link #start} with the same name loads it again, with a new reader password.
   */
  @Override
  public void close() {
    synchronized (DemoDatabase.class) {
      if (!closed) {
        closed = true;
        STARTED.remove(name, this);
        shutdown();
      }
    }
  }

  private void shutdown() {
    Properties admin = new Properties();
    admin.setProperty("user", ADMIN_USER);
    admin.setProperty("password", adminPassword);
    try (Connection c = new org.h2.Driver().connect("jdbc:h2:mem:" + name + ";IFEXISTS=TRUE", admin);
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // Already gone.
    }
  }

  private static String randomPassword() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    // URL-safe Base64: letters, digits, '-' and '_', safe inside an SQL string literal.
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  // ---- the data ----

  private static final String[] REGIONS = {"Nordics", "Western Europe", "Southern Europe",
      "North America", "South America", "Asia Pacific"};

  /** Countries by region (index + 1 is the region id). */
  private static final String[][] COUNTRIES = {
      {"Norway", "Sweden", "Denmark", "Finland"},
      {"France", "Germany", "Netherlands", "Belgium"},
      {"Portugal", "Spain", "Italy", "Greece"},
      {"United States", "Canada", "Mexico"},
      {"Brazil", "Argentina", "Chile"},
      {"Japan", "Australia", "Singapore", "India"}};

  /** How many customers of 100 come from each region. */
  private static final int[] REGION_WEIGHTS = {12, 24, 18, 26, 8, 12};

  private static final String[] FIRST_NAMES = {"Ana", "Bruno", "Chloé", "Daniel", "Elena", "Farid",
      "Greta", "Hiro", "Inês", "Jonas", "Kaito", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quentin",
      "Rosa", "Sofia", "Tomás", "Ulla", "Viktor", "Wen", "Ximena", "Yusuf", "Zoë", "Lucas", "Mia",
      "Noah", "Aiko"};

  private static final String[] LAST_NAMES = {"Silva", "Larsen", "Dubois", "Müller", "Rossi",
      "García", "Tanaka", "Kowalski", "Novak", "Santos", "Jensen", "Moreau", "Schmidt", "Bianchi",
      "López", "Sato", "Andersson", "Costa", "Fischer", "Martín", "Nakamura", "Olsen", "Pereira",
      "Ricci", "Wagner", "Yamamoto", "Kumar", "Smith", "Brown", "Nguyen"};

  private record Category(String name, String code, int minCents, int maxCents, double weightKg,
      String[] products) {}

  private static final Category[] CATEGORIES = {
      new Category("Coffee", "COF", 650, 3900, 0.25, new String[] {"Espresso Blend 1kg",
          "House Blend 500g", "Colombia Huila 250g", "Ethiopia Yirgacheffe 250g", "Kenya AA 250g",
          "Brazil Cerrado 500g", "Guatemala Antigua 250g", "Sumatra Mandheling 250g",
          "Decaf Swiss Water 250g", "Cold Brew Blend 1kg"}),
      new Category("Tea", "TEA", 450, 3200, 0.1, new String[] {"Earl Grey 100g", "Sencha 100g",
          "Assam Breakfast 250g", "Darjeeling First Flush 100g", "Jasmine Pearls 50g",
          "Rooibos Vanilla 100g", "Chamomile 50g", "Oolong Tie Guan Yin 100g",
          "Matcha Ceremonial 30g"}),
      new Category("Brewing", "BRW", 590, 8900, 0.6, new String[] {"Pour-Over Dripper",
          "French Press 1l", "AeroPress", "Moka Pot 6 Cups", "Cold Brew Jar", "Chemex 8 Cups",
          "Siphon Brewer", "Paper Filters x100"}),
      new Category("Grinders", "GRD", 1290, 34900, 1.2, new String[] {"Hand Grinder",
          "Burr Grinder Home", "Burr Grinder Pro", "Blade Grinder", "Travel Grinder",
          "Grinder Brush"}),
      new Category("Cups & Mugs", "CUP", 690, 3400, 0.35, new String[] {"Ceramic Mug 350ml",
          "Espresso Cups x2", "Double-Wall Glass", "Travel Mug 400ml", "Tea Bowl", "Latte Bowl",
          "Enamel Camp Mug", "Cappuccino Cups x2"}),
      new Category("Kettles", "KET", 2490, 12900, 1.1, new String[] {"Gooseneck Kettle",
          "Electric Kettle 1.7l", "Temperature Control Kettle", "Stovetop Kettle",
          "Travel Kettle"}),
      new Category("Accessories", "ACC", 390, 5900, 0.2, new String[] {"Digital Scale",
          "Milk Frother", "Tamper 58mm", "Knock Box", "Tea Infuser", "Coffee Canister",
          "Thermometer", "Cleaning Tablets", "Barista Towel"}),
      new Category("Gift Sets", "GFT", 2900, 9900, 1.5, new String[] {"Espresso Starter Set",
          "Tea Tasting Set", "Pour-Over Set", "Coffee of the Month (3)", "Holiday Gift Box"})};

  private static final String[] STATUSES = {"pending", "paid", "shipped", "delivered", "cancelled",
      "returned"};

  /** How many orders of 100 have each status. */
  private static final int[] STATUS_WEIGHTS = {4, 6, 10, 70, 6, 4};

  private static final List<String> DDL = List.of(
      "CREATE TABLE \"regions\" (\"id\" INTEGER PRIMARY KEY, \"name\" VARCHAR(40) NOT NULL UNIQUE)",
      "CREATE TABLE \"categories\" (\"id\" INTEGER PRIMARY KEY, \"name\" VARCHAR(40) NOT NULL UNIQUE)",
      "CREATE TABLE \"products\" (\"id\" INTEGER PRIMARY KEY, \"sku\" CHARACTER(8) NOT NULL UNIQUE,"
          + " \"name\" VARCHAR(80) NOT NULL,"
          + " \"category_id\" INTEGER NOT NULL REFERENCES \"categories\" (\"id\"),"
          + " \"unit_price\" NUMERIC(10,2) NOT NULL CHECK (\"unit_price\" > 0),"
          + " \"weight_kg\" REAL NOT NULL, \"launched_on\" DATE NOT NULL,"
          + " \"discontinued\" BOOLEAN NOT NULL DEFAULT FALSE)",
      "CREATE TABLE \"customers\" (\"id\" INTEGER PRIMARY KEY, \"name\" VARCHAR(80) NOT NULL,"
          + " \"email\" VARCHAR(120) NOT NULL UNIQUE, \"country\" VARCHAR(40) NOT NULL,"
          + " \"region_id\" INTEGER NOT NULL REFERENCES \"regions\" (\"id\"),"
          + " \"signed_up_at\" TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " \"vip\" BOOLEAN NOT NULL DEFAULT FALSE)",
      "CREATE TABLE \"orders\" (\"id\" INTEGER PRIMARY KEY,"
          + " \"customer_id\" INTEGER NOT NULL REFERENCES \"customers\" (\"id\"),"
          + " \"ordered_at\" TIMESTAMP NOT NULL,"
          + " \"status\" VARCHAR(12) NOT NULL CHECK (\"status\" IN ('pending', 'paid', 'shipped',"
          + " 'delivered', 'cancelled', 'returned')),"
          + " \"shipped_on\" DATE, \"shipping_fee\" NUMERIC(6,2) NOT NULL)",
      "CREATE INDEX \"orders_customer\" ON \"orders\" (\"customer_id\")",
      "CREATE TABLE \"order_items\" ("
          + " \"order_id\" INTEGER NOT NULL REFERENCES \"orders\" (\"id\"),"
          + " \"line_no\" SMALLINT NOT NULL,"
          + " \"product_id\" INTEGER NOT NULL REFERENCES \"products\" (\"id\"),"
          + " \"quantity\" INTEGER NOT NULL CHECK (\"quantity\" > 0),"
          + " \"unit_price\" NUMERIC(10,2) NOT NULL,"
          + " PRIMARY KEY (\"order_id\", \"line_no\"))",
      "CREATE INDEX \"order_items_product\" ON \"order_items\" (\"product_id\")",
      "CREATE VIEW \"order_totals\" AS SELECT o.\"id\" AS \"order_id\", o.\"customer_id\","
          + " o.\"ordered_at\", o.\"status\", COUNT(*) AS \"items\", SUM(i.\"quantity\") AS \"units\","
          + " CAST(SUM(i.\"quantity\" * i.\"unit_price\") AS NUMERIC(12,2)) AS \"subtotal\","
          + " CAST(SUM(i.\"quantity\" * i.\"unit_price\") + o.\"shipping_fee\" AS NUMERIC(12,2))"
          + " AS \"total\""
          + " FROM \"orders\" o JOIN \"order_items\" i ON i.\"order_id\" = o.\"id\""
          + " GROUP BY o.\"id\", o.\"customer_id\", o.\"ordered_at\", o.\"status\", o.\"shipping_fee\"",
      "COMMENT ON TABLE \"regions\" IS 'Sales regions; every customer belongs to one'",
      "COMMENT ON COLUMN \"regions\".\"id\" IS 'Region number'",
      "COMMENT ON COLUMN \"regions\".\"name\" IS 'Region name'",
      "COMMENT ON TABLE \"categories\" IS 'Product categories'",
      "COMMENT ON COLUMN \"categories\".\"id\" IS 'Category number'",
      "COMMENT ON COLUMN \"categories\".\"name\" IS 'Category name'",
      "COMMENT ON TABLE \"products\" IS 'The catalogue: coffee, tea and brewing gear'",
      "COMMENT ON COLUMN \"products\".\"id\" IS 'Product number'",
      "COMMENT ON COLUMN \"products\".\"sku\" IS 'Stock keeping unit: category code and number'",
      "COMMENT ON COLUMN \"products\".\"name\" IS 'Product name as shown in the shop'",
      "COMMENT ON COLUMN \"products\".\"category_id\" IS 'The product''s category'",
      "COMMENT ON COLUMN \"products\".\"unit_price\" IS 'Current list price in EUR'",
      "COMMENT ON COLUMN \"products\".\"weight_kg\" IS 'Shipping weight in kilograms'",
      "COMMENT ON COLUMN \"products\".\"launched_on\" IS 'Day the product went on sale'",
      "COMMENT ON COLUMN \"products\".\"discontinued\" IS 'No longer sold'",
      "COMMENT ON TABLE \"customers\" IS 'Registered customers'",
      "COMMENT ON COLUMN \"customers\".\"id\" IS 'Customer number'",
      "COMMENT ON COLUMN \"customers\".\"name\" IS 'Full name'",
      "COMMENT ON COLUMN \"customers\".\"email\" IS 'Login and contact address'",
      "COMMENT ON COLUMN \"customers\".\"country\" IS 'Country of the delivery address'",
      "COMMENT ON COLUMN \"customers\".\"region_id\" IS 'Sales region of the country'",
      "COMMENT ON COLUMN \"customers\".\"signed_up_at\" IS 'When the account was created (an instant)'",
      "COMMENT ON COLUMN \"customers\".\"vip\" IS 'Member of the loyalty programme'",
      "COMMENT ON TABLE \"orders\" IS 'Orders placed in 2024'",
      "COMMENT ON COLUMN \"orders\".\"id\" IS 'Order number'",
      "COMMENT ON COLUMN \"orders\".\"customer_id\" IS 'Who placed the order'",
      "COMMENT ON COLUMN \"orders\".\"ordered_at\" IS 'When the order was placed (shop local time)'",
      "COMMENT ON COLUMN \"orders\".\"status\""
          + " IS 'pending, paid, shipped, delivered, cancelled or returned'",
      "COMMENT ON COLUMN \"orders\".\"shipped_on\""
          + " IS 'Day the parcel left the warehouse; null if not shipped'",
      "COMMENT ON COLUMN \"orders\".\"shipping_fee\" IS 'Shipping charged in EUR'",
      "COMMENT ON TABLE \"order_items\" IS 'Order lines: one product and quantity each'",
      "COMMENT ON COLUMN \"order_items\".\"order_id\" IS 'The order'",
      "COMMENT ON COLUMN \"order_items\".\"line_no\" IS 'Line number within the order, from 1'",
      "COMMENT ON COLUMN \"order_items\".\"product_id\" IS 'The product'",
      "COMMENT ON COLUMN \"order_items\".\"quantity\" IS 'Units ordered'",
      "COMMENT ON COLUMN \"order_items\".\"unit_price\""
          + " IS 'Price paid per unit in EUR, after discounts'",
      "COMMENT ON TABLE \"order_totals\""
          + " IS 'One row per order: item count, units, subtotal and total with shipping'");

  private void load(Connection c) throws SQLException {
    Random rnd = new Random(SEED);
    try (Statement s = c.createStatement()) {
      for (String ddl : DDL) {
        s.execute(ddl);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"regions\" VALUES (?, ?)")) {
      for (int r = 0; r < REGIONS.length; r++) {
        ps.setInt(1, r + 1);
        ps.setString(2, REGIONS[r]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"categories\" VALUES (?, ?)")) {
      for (int k = 0; k < CATEGORIES.length; k++) {
        ps.setInt(1, k + 1);
        ps.setString(2, CATEGORIES[k].name());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    int productCount = 0;
    for (Category k : CATEGORIES) {
      productCount += k.products().length;
    }
    BigDecimal[] prices = new BigDecimal[productCount + 1];
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO \"products\" VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      int id = 0;
      for (int k = 0; k < CATEGORIES.length; k++) {
        Category cat = CATEGORIES[k];
        for (int p = 0; p < cat.products().length; p++) {
          id++;
          int cents = cat.minCents() + rnd.nextInt(cat.maxCents() - cat.minCents() + 1);
          cents = cents / 10 * 10 - 1; // shop prices end in 9
          prices[id] = BigDecimal.valueOf(cents, 2);
          ps.setInt(1, id);
          ps.setString(2, String.format("%s-%04d", cat.code(), id));
          ps.setString(3, cat.products()[p]);
          ps.setInt(4, k + 1);
          ps.setBigDecimal(5, prices[id]);
          double weight = cat.weightKg() * (0.6 + rnd.nextDouble() * 0.8);
          ps.setFloat(6, (float) (Math.round(weight * 100) / 100.0));
          ps.setObject(7, LocalDate.of(2019, 3, 1).plusDays(rnd.nextInt(1800)));
          ps.setBoolean(8, rnd.nextInt(20) == 0);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
    int customers = 200;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO \"customers\" VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (int id = 1; id <= customers; id++) {
        String first = FIRST_NAMES[rnd.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[rnd.nextInt(LAST_NAMES.length)];
        int region = weighted(rnd, REGION_WEIGHTS);
        String[] countries = COUNTRIES[region];
        ps.setInt(1, id);
        ps.setString(2, first + " " + last);
        ps.setString(3, ascii(first) + "." + ascii(last) + "." + id + "@example.com");
        ps.setString(4, countries[rnd.nextInt(countries.length)]);
        ps.setInt(5, region + 1);
        ps.setObject(6, OffsetDateTime.of(2021, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
            .plusMinutes(rnd.nextInt(3 * 365 * 24 * 60)));
        ps.setBoolean(7, rnd.nextInt(8) == 0);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    int orders = 1000;
    try (PreparedStatement po = c.prepareStatement(
            "INSERT INTO \"orders\" VALUES (?, ?, ?, ?, ?, ?)");
        PreparedStatement pi = c.prepareStatement(
            "INSERT INTO \"order_items\" VALUES (?, ?, ?, ?, ?)")) {
      for (int id = 1; id <= orders; id++) {
        // A few customers order much more often than the rest.
        int customer = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(20) : 1 + rnd.nextInt(customers);
        LocalDateTime at = LocalDateTime.of(2024, 1, 1, 7, 0)
            .plusDays(rnd.nextInt(366)).plusMinutes(rnd.nextInt(15 * 60)).plusSeconds(rnd.nextInt(60));
        String status = STATUSES[weighted(rnd, STATUS_WEIGHTS)];
        boolean shipped = status.equals("shipped") || status.equals("delivered")
            || status.equals("returned");
        po.setInt(1, id);
        po.setInt(2, customer);
        po.setObject(3, at);
        po.setString(4, status);
        po.setObject(5, shipped ? at.toLocalDate().plusDays(1 + rnd.nextInt(3)) : null);
        po.setBigDecimal(6, BigDecimal.valueOf(rnd.nextInt(4) == 0 ? 0 : 390 + 100 * rnd.nextInt(4), 2));
        po.addBatch();
        int lines = 1 + rnd.nextInt(5);
        boolean[] used = new boolean[productCount + 1];
        for (int line = 1; line <= lines; line++) {
          int product;
          do {
            product = 1 + rnd.nextInt(productCount);
          } while (used[product]);
          used[product] = true;
          int quantity = rnd.nextInt(10) < 7 ? 1 : 2 + rnd.nextInt(3);
          BigDecimal price = rnd.nextInt(10) == 0
              ? prices[product].multiply(new BigDecimal("0.90")).setScale(2, RoundingMode.HALF_UP)
              : prices[product];
          pi.setInt(1, id);
          pi.setShort(2, (short) line);
          pi.setInt(3, product);
          pi.setInt(4, quantity);
          pi.setBigDecimal(5, price);
          pi.addBatch();
        }
      }
      po.executeBatch();
      pi.executeBatch();
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE USER " + READER_USER + " PASSWORD '" + readerPassword + "'");
      s.execute("GRANT SELECT ON SCHEMA PUBLIC TO " + READER_USER);
      s.execute("ANALYZE");
    }
  }

  private static int weighted(Random rnd, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = rnd.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** A name as e-mail letters: lower case, accents removed. */
  private static String ascii(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "").toLowerCase(java.util.Locale.ROOT);
  }
}
