package io.gatehouse.adapter.bigquery.testing;

import io.gatehouse.adapter.bigquery.fake.FakeBigQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A small shop in the fake's dataset {@code shop} (customers, orders), loaded once per JVM through
 * the fake's fixture database, for the golden SQL tests.
 */
public final class ShopDataset {
  private static boolean loaded;

  private ShopDataset() {}

  public static synchronized void load(FakeBigQuery fake) throws SQLException {
    if (loaded) {
      return;
    }
    try (Connection c = fake.adminConnection(); Statement s = c.createStatement()) {
      s.execute("drop schema if exists shop cascade");
      s.execute("create schema shop");
      s.execute("create table shop.customers(id bigint primary key, name varchar(40) not null,"
          + " country varchar(2), signup date)");
      s.execute("create table shop.orders(id bigint primary key, customer_id bigint not null,"
          + " total decimal(12,2), status varchar(10), ordered_at timestamp)");
      String[] countries = {"PT", "NO", "JP", "CH", null};
      for (int i = 1; i <= 30; i++) {
        s.execute("insert into shop.customers values (" + i + ", 'customer " + i + "', "
            + (countries[i % 5] == null ? "null" : "'" + countries[i % 5] + "'")
            + ", date '2023-01-01' + " + (i * 11) + ")");
      }
      String[] statuses = {"paid", "open", "refunded"};
      for (int i = 1; i <= 200; i++) {
        s.execute("insert into shop.orders values (" + i + ", " + (i % 30 + 1) + ", "
            + (i * 37 % 1000) + "." + (i % 100) + ", '" + statuses[i % 3] + "', timestamp"
            + " '2024-01-01 08:00:00' + interval '" + (i * 13) + "' hour)");
      }
    }
    loaded = true;
  }
}
