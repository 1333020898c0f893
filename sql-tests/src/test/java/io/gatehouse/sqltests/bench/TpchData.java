package io.gatehouse.sqltests.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * TPC-H data, generated deterministically by this class (no dbgen): the eight tables at a scale
 * factor, written as '|'-separated files that PostgreSQL's COPY and MariaDB's LOAD DATA read
 * directly. Same seed, same scale, same bytes.
 *
 * <p>It follows the specification's cardinalities, key relations and value domains closely enough
 * for the 22 queries with their validation parameters to select meaningful rows: sparse order keys,
 * four suppliers per part, no orders for every third customer, ship/commit/receipt dates relative to
 * the order date, return flags and line status from the 1995-06-17 "current date", the part name
 * colours, types, containers and brands, phone country codes from the nation, and comments that
 * sometimes hold the phrases queries 13 and 16 look for. Text is words and letters only: no
 * delimiter, quote or backslash ever needs escaping.
 */
public final class TpchData {
  public static final List<String> TABLES =
      List.of("region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem");

  static final String[] REGIONS = {"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"};
  static final String[] NATIONS = {"ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT", "ETHIOPIA",
      "FRANCE", "GERMANY", "INDIA", "INDONESIA", "IRAN", "IRAQ", "JAPAN", "JORDAN", "KENYA",
      "MOROCCO", "MOZAMBIQUE", "PERU", "CHINA", "ROMANIA", "SAUDI ARABIA", "VIETNAM", "RUSSIA",
      "UNITED KINGDOM", "UNITED STATES"};
  static final int[] NATION_REGION = {0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4,
      2, 3, 3, 1};
  private static final String[] COLOURS = {"almond", "antique", "aquamarine", "azure", "beige",
      "bisque", "black", "blanched", "blue", "blush", "brown", "burlywood", "burnished", "chartreuse",
      "chiffon", "chocolate", "coral", "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim",
      "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost", "goldenrod",
      "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki", "lace", "lavender", "lawn",
      "lemon", "light", "lime", "linen", "magenta", "maroon", "medium", "metallic", "midnight", "mint",
      "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya", "peach",
      "peru", "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle",
      "salmon", "sandy", "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel",
      "tan", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "yellow"};
  private static final String[] TYPE1 = {"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"};
  private static final String[] TYPE2 = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"};
  private static final String[] TYPE3 = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
  private static final String[] CONTAINER1 = {"SM", "LG", "MED", "JUMBO", "WRAP"};
  private static final String[] CONTAINER2 = {"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"};
  private static final String[] SEGMENTS = {"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY",
      "HOUSEHOLD"};
  private static final String[] PRIORITIES = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED",
      "5-LOW"};
  private static final String[] INSTRUCTIONS = {"DELIVER IN PERSON", "COLLECT COD", "NONE",
      "TAKE BACK RETURN"};
  private static final String[] MODES = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};
  private static final String[] WORDS = {"furiously", "quickly", "carefully", "blithely", "slyly",
      "fluffily", "regular", "final", "express", "pending", "ironic", "even", "bold", "silent",
      "unusual", "packages", "deposits", "accounts", "instructions", "theodolites", "pinto", "beans",
      "foxes", "ideas", "platelets", "dependencies", "asymptotes", "courts", "dolphins", "sheaves",
      "sleep", "wake", "haggle", "nag", "use", "boost", "affix", "detect", "integrate", "cajole",
      "across", "after", "along", "among", "above", "against", "the", "about", "according", "to"};

  static final LocalDate START = LocalDate.of(1992, 1, 1);
  static final LocalDate CURRENT = LocalDate.of(1995, 6, 17);
  static final LocalDate END = LocalDate.of(1998, 12, 31);

  private final double scale;
  private final long seed;

  public TpchData(double scale, long seed) {
    this.scale = scale;
    this.seed = seed;
  }

  public int suppliers() {
    return (int) (10_000 * scale);
  }

  public int customers() {
    return (int) (150_000 * scale);
  }

  public int parts() {
    return (int) (200_000 * scale);
  }

  public int orders() {
    return (int) (1_500_000 * scale);
  }

  /** Writes {@code TABLE.tbl} for every table into {@code dir}, unless a complete set is there. */
  public void writeTo(Path dir) throws IOException {
    Path done = dir.resolve("complete-" + scale + "-" + seed);
    if (Files.exists(done)) {
      return;
    }
    Files.createDirectories(dir);
    write(dir, "region", this::region);
    write(dir, "nation", this::nation);
    write(dir, "supplier", this::supplier);
    write(dir, "customer", this::customer);
    write(dir, "part", this::part);
    write(dir, "partsupp", this::partsupp);
    try (Writer orders = writer(dir, "orders"); Writer lines = writer(dir, "lineitem")) {
      ordersAndLines(orders, lines);
    }
    Files.writeString(done, "");
  }

  private interface Table {
    void rows(Writer out) throws IOException;
  }

  private static Writer writer(Path dir, String table) throws IOException {
    return new BufferedWriter(Files.newBufferedWriter(dir.resolve(table + ".tbl"), StandardCharsets.UTF_8),
        1 << 16);
  }

  private static void write(Path dir, String table, Table rows) throws IOException {
    try (Writer w = writer(dir, table)) {
      rows.rows(w);
    }
  }

  private Random random(String table) {
    return new Random(seed * 31 + table.hashCode());
  }

  private static void row(Writer w, Object... values) throws IOException {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        w.write('|');
      }
      w.write(String.valueOf(values[i]));
    }
    w.write('\n');
  }

  private static String money(long cents) {
    String sign = cents < 0 ? "-" : "";
    long a = Math.abs(cents);
    return sign + (a / 100) + "." + (a % 100 < 10 ? "0" : "") + (a % 100);
  }

  private static String text(Random r, int minWords, int maxWords) {
    StringBuilder sb = new StringBuilder();
    int n = minWords + r.nextInt(maxWords - minWords + 1);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  private static String letters(Random r, int min, int max) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int n = min + r.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String phone(Random r, int nation) {
    return (nation + 10) + "-" + (100 + r.nextInt(900)) + "-" + (100 + r.nextInt(900)) + "-"
        + (1000 + r.nextInt(9000));
  }

  private void region(Writer w) throws IOException {
    Random r = random("region");
    for (int i = 0; i < REGIONS.length; i++) {
      row(w, i, REGIONS[i], text(r, 4, 12));
    }
  }

  private void nation(Writer w) throws IOException {
    Random r = random("nation");
    for (int i = 0; i < NATIONS.length; i++) {
      row(w, i, NATIONS[i], NATION_REGION[i], text(r, 4, 12));
    }
  }

  private void supplier(Writer w) throws IOException {
    Random r = random("supplier");
    int n = suppliers();
    for (int k = 1; k <= n; k++) {
      int nation = r.nextInt(25);
      String comment = text(r, 4, 10);
      // About five per 10,000 suppliers have complaints and five recommendations (query 16).
      int roll = r.nextInt(10_000);
      if (roll < 5) {
        comment = comment + " Customer " + text(r, 1, 2) + " Complaints";
      } else if (roll < 10) {
        comment = comment + " Customer " + text(r, 1, 2) + " Recommends";
      }
      row(w, k, String.format("Supplier#%09d", k), letters(r, 10, 40), nation, phone(r, nation),
          money(-99_999 + r.nextInt(1_099_998)), comment);
    }
  }

  private void customer(Writer w) throws IOException {
    Random r = random("customer");
    int n = customers();
    for (int k = 1; k <= n; k++) {
      int nation = r.nextInt(25);
      row(w, k, String.format("Customer#%09d", k), letters(r, 10, 40), nation, phone(r, nation),
          money(-99_999 + r.nextInt(1_099_998)), SEGMENTS[r.nextInt(SEGMENTS.length)], text(r, 6, 16));
    }
  }

  /** The specification's retail price formula, in cents. */
  static long retailPriceCents(int partKey) {
    return 90_000 + ((partKey / 10) % 20_001) + 100L * (partKey % 1_000);
  }

  private void part(Writer w) throws IOException {
    Random r = random("part");
    int n = parts();
    for (int k = 1; k <= n; k++) {
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        if (i > 0) {
          name.append(' ');
        }
        name.append(COLOURS[r.nextInt(COLOURS.length)]);
      }
      int m = 1 + r.nextInt(5);
      String type = TYPE1[r.nextInt(TYPE1.length)] + " " + TYPE2[r.nextInt(TYPE2.length)] + " "
          + TYPE3[r.nextInt(TYPE3.length)];
      String container = CONTAINER1[r.nextInt(CONTAINER1.length)] + " "
          + CONTAINER2[r.nextInt(CONTAINER2.length)];
      row(w, k, name, "Manufacturer#" + m, "Brand#" + m + (1 + r.nextInt(5)), type, 1 + r.nextInt(50),
          container, money(retailPriceCents(k)), text(r, 1, 4));
    }
  }

  /** The i-th (0..3) supplier of a part, as the specification spreads them. */
  int supplierOf(int partKey, int i) {
    int s = suppliers();
    return (int) ((partKey + (long) i * (s / 4 + (partKey - 1) / s)) % s) + 1;
  }

  private void partsupp(Writer w) throws IOException {
    Random r = random("partsupp");
    int n = parts();
    for (int k = 1; k <= n; k++) {
      for (int i = 0; i < 4; i++) {
        row(w, k, supplierOf(k, i), 1 + r.nextInt(9_999), money(100 + r.nextInt(99_901)),
            text(r, 8, 20));
      }
    }
  }

  private void ordersAndLines(Writer orders, Writer lines) throws IOException {
    Random r = random("orders");
    int n = orders();
    int customers = customers();
    int clerks = Math.max(1, (int) (1_000 * scale));
    int parts = parts();
    long lastOrderDay = END.toEpochDay() - 151 - START.toEpochDay();
    StringBuilder lineRows = new StringBuilder();
    for (int i = 0; i < n; i++) {
      long orderKey = (long) (i / 8) * 32 + (i % 8) + 1; // sparse: 8 of every 32 keys
      int customer;
      do {
        customer = 1 + r.nextInt(customers);
      } while (customer % 3 == 0); // every third customer places no orders
      LocalDate orderDate = START.plusDays(r.nextInt((int) lastOrderDay + 1));
      int lineCount = 1 + r.nextInt(7);
      long totalCents = 0;
      int shipped = 0;
      lineRows.setLength(0);
      for (int line = 1; line <= lineCount; line++) {
        int part = 1 + r.nextInt(parts);
        int supplier = supplierOf(part, r.nextInt(4));
        int quantity = 1 + r.nextInt(50);
        long extended = quantity * retailPriceCents(part);
        int discount = r.nextInt(11); // hundredths
        int tax = r.nextInt(9);
        LocalDate ship = orderDate.plusDays(1 + r.nextInt(121));
        LocalDate commit = orderDate.plusDays(30 + r.nextInt(61));
        LocalDate receipt = ship.plusDays(1 + r.nextInt(30));
        String returnFlag = receipt.isAfter(CURRENT) ? "N" : (r.nextBoolean() ? "R" : "A");
        String status = ship.isAfter(CURRENT) ? "O" : "F";
        if (status.equals("F")) {
          shipped++;
        }
        totalCents += Math.round(extended * (100 + tax) * (100 - discount) / 10_000.0);
        lineRows.append(orderKey).append('|').append(part).append('|').append(supplier).append('|')
            .append(line).append('|').append(quantity).append('|').append(money(extended)).append('|')
            .append(money(discount)).append('|').append(money(tax)).append('|').append(returnFlag)
            .append('|').append(status).append('|').append(ship).append('|').append(commit)
            .append('|').append(receipt).append('|').append(INSTRUCTIONS[r.nextInt(INSTRUCTIONS.length)])
            .append('|').append(MODES[r.nextInt(MODES.length)]).append('|').append(text(r, 2, 6))
            .append('\n');
      }
      String orderStatus = shipped == lineCount ? "F" : shipped == 0 ? "O" : "P";
      String comment = text(r, 4, 12);
      if (r.nextInt(100) == 0) { // query 13 leaves out orders whose comment mentions special requests
        comment = comment + " special " + text(r, 1, 2) + " requests";
      }
      row(orders, orderKey, customer, orderStatus, money(totalCents), orderDate,
          PRIORITIES[r.nextInt(PRIORITIES.length)], String.format("Clerk#%09d", 1 + r.nextInt(clerks)),
          0, comment);
      lines.append(lineRows);
    }
  }
}
