-- Gatehouse fixture database "shop" (PostgreSQL 16), loaded once by PostgresFixture as the superuser
-- into a new, empty database. All data is deterministic (no random(), no now()).
--
-- Loader rule: a statement ends with a line whose last character is ';'. Lines starting with
-- "--" are skipped. Do not end any other line with ';'.
--
-- Ids are chosen so that wrong join keys find nothing: customers 1..100, products 1..50,
-- orders 1001..1120, regions 1..20. The MariaDB "crm" fixture has accounts whose customer_id
-- matches customers.id here (1..80) plus five (101..105) that match no customer.

CREATE SCHEMA sales;

CREATE SCHEMA internal;

-- ----------------------------------------------------------------------------------------------
-- sales.regions: 20 rows, unicode names, a NULL manager and a NULL time
CREATE TABLE sales.regions (
    id            smallint     PRIMARY KEY,
    code          char(3)      NOT NULL UNIQUE,
    name          varchar(60)  NOT NULL,
    country       char(2)      NOT NULL,
    manager       text,
    office_opens  time,
    timezone      text         NOT NULL
);

INSERT INTO sales.regions VALUES
    (1,  'NYC', 'New York',          'US', 'Alice Johnson',       '09:00', 'America/New_York'),
    (2,  'SFO', 'San Francisco Bay', 'US', 'Bob Lee',             '08:30', 'America/Los_Angeles'),
    (3,  'CHI', 'Chicago',           'US', NULL,                  '09:00', 'America/Chicago'),
    (4,  'TOR', 'Toronto',           'CA', 'Chloé Tremblay',      '09:00', 'America/Toronto'),
    (5,  'MEX', 'Ciudad de México',  'MX', 'José Hernández',      '10:00', 'America/Mexico_City'),
    (6,  'SAO', 'São Paulo',         'BR', 'João Silva',          '09:00', 'America/Sao_Paulo'),
    (7,  'LON', 'London',            'GB', 'Siobhán O''Neill',    '09:00', 'Europe/London'),
    (8,  'PAR', 'Île-de-France',     'FR', 'Amélie Dubois',       '09:30', 'Europe/Paris'),
    (9,  'BER', 'Berlin',            'DE', 'Jürgen Müller',       '08:00', 'Europe/Berlin'),
    (10, 'ZRH', 'Zürich',            'CH', NULL,                  '08:00', 'Europe/Zurich'),
    (11, 'STO', 'Stockholm',         'SE', 'Björn Andersson',     '08:00', 'Europe/Stockholm'),
    (12, 'WAW', 'Warszawa',          'PL', 'Łukasz Kowalski',     '08:00', 'Europe/Warsaw'),
    (13, 'MOW', 'Москва',            'RU', 'Иван Петров',         '10:00', 'Europe/Moscow'),
    (14, 'DXB', 'دبي',               'AE', 'Fatima Al-Sayed',     '09:00', 'Asia/Dubai'),
    (15, 'BOM', 'Mumbai',            'IN', 'Priya Sharma',        '10:00', 'Asia/Kolkata'),
    (16, 'SIN', 'Singapore',         'SG', 'Wei Ling Tan',        '09:00', 'Asia/Singapore'),
    (17, 'TYO', '東京',              'JP', '田中 美咲',           '09:00', 'Asia/Tokyo'),
    (18, 'SEL', '서울',              'KR', '김민준',              '09:00', 'Asia/Seoul'),
    (19, 'SYD', 'Sydney',            'AU', 'Olivia Smith',        '08:30', 'Australia/Sydney'),
    (20, 'REK', 'Reykjavík',         'IS', 'Guðrún Jónsdóttir 🌋', NULL,   'Atlantic/Reykjavik');

-- sales.targets: 20 regions x 2 years x 4 quarters = 160 rows; 2024 Q4 not achieved yet (NULL)
CREATE TABLE sales.targets (
    region_id        smallint       NOT NULL REFERENCES sales.regions (id),
    year             smallint       NOT NULL,
    quarter          smallint       NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    target_amount    numeric(20,6)  NOT NULL,
    achieved_amount  numeric(12,2),
    PRIMARY KEY (region_id, year, quarter)
);

INSERT INTO sales.targets (region_id, year, quarter, target_amount, achieved_amount)
SELECT r, y, q,
       round(50000 + r * 1250.5 + (y - 2023) * 7500 + q * 333.333333, 6),
       CASE WHEN y = 2024 AND q = 4 THEN NULL
            ELSE round(40000 + ((r * 37 + q * 11 + y) % 50) * 700.25, 2) END
FROM generate_series(1, 20) AS r, generate_series(2023, 2024) AS y, generate_series(1, 4) AS q;

-- ----------------------------------------------------------------------------------------------
-- public.customers: 100 rows; every nullable column has NULLs
CREATE TABLE public.customers (
    id              integer           PRIMARY KEY,
    name            varchar(100)      NOT NULL,
    email           varchar(200)      UNIQUE,
    country         char(2)           NOT NULL,
    city            text,
    region_id       smallint          REFERENCES sales.regions (id),
    vip             boolean           NOT NULL DEFAULT false,
    birth_date      date,
    credit_limit    numeric(12,2),
    loyalty_score   real,
    lifetime_value  double precision,
    created_at      timestamptz       NOT NULL,
    external_id     uuid              NOT NULL UNIQUE,
    preferences     jsonb,
    notes           text
);

INSERT INTO public.customers
SELECT i,
       (ARRAY['Zoë', 'José', 'Ana', 'Björn', 'Łukasz', 'Renée', 'Иван', '美咲', 'Chloé', 'Noah', 'Søren', 'Amélie'])[1 + i % 12]
         || ' ' ||
       (ARRAY['Müller', 'Ødegaard', 'García', 'O''Brien', 'Nguyễn', '田中', 'Smith', 'Kowalski', 'Dubois', 'Rossi', 'Andersson'])[1 + (i * 7) % 11],
       CASE WHEN i % 17 = 0 THEN NULL ELSE 'customer' || i || '@example.com' END,
       r.country,
       CASE WHEN i % 23 = 0 THEN NULL ELSE r.name END,
       CASE WHEN i % 29 = 0 THEN NULL ELSE r.id END,
       i % 10 = 0,
       CASE WHEN i % 9 = 0 THEN NULL ELSE date '1950-01-01' + (i * 193) % 18000 END,
       CASE WHEN i % 11 = 0 THEN NULL ELSE 1000 + ((i * 7919) % 50000) * 1.5 END,
       CASE WHEN i % 12 = 5 THEN NULL ELSE ((i * 37) % 1000) / 8.0 END,
       CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 12345.678::double precision) / 7 END,
       timestamptz '2020-01-01 00:00:00+00' + i * interval '3 days 7 hours 11 minutes 13.5 seconds',
       md5('customer-' || i)::uuid,
       CASE WHEN i % 4 = 0 THEN NULL
            ELSE jsonb_build_object('newsletter', i % 2 = 0,
                                    'language', (ARRAY['en', 'de', 'fr', 'ja', 'pt'])[1 + i % 5],
                                    'tags', jsonb_build_array('t' || i % 3, 't' || i % 5)) END,
       CASE WHEN i % 10 = 0 THEN 'VIP customer 🎉 — handle with care'
            WHEN i % 7 = 0 THEN 'Prefers e-mail; ships to the 東京 office'
            ELSE NULL END
FROM generate_series(1, 100) AS i
JOIN sales.regions r ON r.id = 1 + (i * 3) % 20;

-- public.products: 50 rows
CREATE TABLE public.products (
    id              integer         PRIMARY KEY,
    sku             char(8)         NOT NULL UNIQUE,
    name            varchar(120)    NOT NULL,
    category        varchar(40)     NOT NULL,
    price           numeric(12,2)   NOT NULL CHECK (price >= 0),
    unit_cost       numeric(20,6),
    weight_kg       real,
    in_stock        smallint        NOT NULL,
    discontinued    boolean         NOT NULL,
    launched_on     date,
    available_from  time,
    attributes      json,
    thumbnail       bytea
);

INSERT INTO public.products
SELECT i,
       'SKU-' || lpad(i::text, 4, '0'),
       (ARRAY['Classic', 'Pro', 'Mini', 'Deluxe', 'Öko'])[1 + i % 5] || ' ' ||
       (ARRAY['coffee mug', 'teapot 🍵', 'notebook', 'fountain pen', 'backpack',
              'water bottle', 'desk lamp', 'headphones', 'keyboard', 'mouse'])[1 + i % 10],
       (ARRAY['kitchen', 'kitchen', 'office', 'office', 'outdoor',
              'outdoor', 'office', 'electronics', 'electronics', 'electronics'])[1 + i % 10],
       4.99 + (i * 7.37) % 250,
       round((4.99 + (i * 7.37) % 250) * 0.612345, 6),
       CASE WHEN i % 8 = 0 THEN NULL ELSE ((i * 113) % 5000) / 1000.0 END,
       (i * 97) % 500,
       i % 9 = 0,
       CASE WHEN i % 12 = 0 THEN NULL ELSE date '2015-03-01' + i * 41 END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE time '06:00' + i * interval '17 minutes 30 seconds' END,
       CASE WHEN i % 6 = 0 THEN NULL
            ELSE json_build_object('color', (ARRAY['red', 'green', 'blue', 'black', 'white'])[1 + i % 5],
                                   'size', (ARRAY['S', 'M', 'L'])[1 + i % 3],
                                   'recyclable', i % 2 = 0) END,
       CASE WHEN i = 50 THEN '\x'::bytea
            WHEN i % 3 = 0 THEN NULL
            ELSE decode(md5('product-' || i), 'hex') END
FROM generate_series(1, 50) AS i;

-- public.orders: 120 rows (ids 1001..1120); customers 91..100 never order; total set below
CREATE TABLE public.orders (
    id           bigint          PRIMARY KEY,
    customer_id  integer         NOT NULL REFERENCES public.customers (id),
    order_date   date            NOT NULL,
    ordered_at   timestamp       NOT NULL,
    shipped_at   timestamptz,
    status       varchar(20)     NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
    currency     char(3)         NOT NULL,
    total        numeric(12,2)   NOT NULL DEFAULT 0,
    note         text
);

INSERT INTO public.orders (id, customer_id, order_date, ordered_at, shipped_at, status, currency, note)
SELECT 1000 + i,
       1 + (i * 13) % 90,
       t::date,
       t,
       CASE WHEN status IN ('shipped', 'delivered') THEN (t + interval '1 day 3 hours') AT TIME ZONE 'UTC' END,
       status,
       (ARRAY['USD', 'EUR', 'JPY', 'GBP'])[1 + i % 4],
       CASE WHEN i % 15 = 0 THEN 'Gift wrap 🎁'
            WHEN i % 11 = 0 THEN 'Leave at the door, s''il vous plaît'
            ELSE NULL END
FROM (SELECT i,
             timestamp '2024-01-03 08:15:00' + i * interval '2 days 5 hours 7 minutes 9.25 seconds' AS t,
             (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + i % 5] AS status
      FROM generate_series(1, 120) AS i) AS g;

-- public.order_items: 200 rows; orders 1001..1080 have two lines, 1081..1120 one line
CREATE TABLE public.order_items (
    order_id    bigint          NOT NULL REFERENCES public.orders (id),
    line_no     smallint        NOT NULL,
    product_id  integer         NOT NULL REFERENCES public.products (id),
    quantity    integer         NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12,2)   NOT NULL,
    discount    numeric(20,6),
    PRIMARY KEY (order_id, line_no)
);

INSERT INTO public.order_items
SELECT 1001 + (n - 1) % 120,
       1 + (n - 1) / 120,
       p.id,
       1 + (n * 7) % 5,
       p.price,
       CASE WHEN n % 4 = 0 THEN round((n % 7) * 0.0123456, 6) END
FROM generate_series(1, 200) AS n
JOIN public.products p ON p.id = 1 + (n * 17) % 50;

UPDATE public.orders o
SET total = t.amount
FROM (SELECT order_id, sum(round(quantity * unit_price * (1 - coalesce(discount, 0)), 2)) AS amount
      FROM public.order_items
      GROUP BY order_id) AS t
WHERE t.order_id = o.id;

-- public.events: 200,000 rows for streaming tests; amount only for purchases (+) and refunds (-)
CREATE TABLE public.events (
    id           bigint          PRIMARY KEY,
    customer_id  integer         NOT NULL,
    kind         text            NOT NULL,
    created_at   timestamptz     NOT NULL,
    amount       numeric(12,2)
);

INSERT INTO public.events
SELECT i,
       1 + (i * 7919) % 100,
       CASE WHEN i % 20 < 12 THEN 'view'
            WHEN i % 20 < 16 THEN 'click'
            WHEN i % 20 < 18 THEN 'cart'
            WHEN i % 20 = 18 THEN 'purchase'
            ELSE 'refund' END,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '157 seconds',
       CASE WHEN i % 20 = 18 THEN ((i * 37) % 100000) / 100.0
            WHEN i % 20 = 19 THEN -(((i * 13) % 5000) / 100.0) END
FROM generate_series(1, 200000) AS i;

ALTER TABLE public.events ADD CONSTRAINT events_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id);

CREATE INDEX events_customer_idx ON public.events (customer_id);

CREATE INDEX events_created_at_idx ON public.events (created_at);

-- public.type_samples: 20 rows, one column per type: an all-NULL row, minimum and maximum values,
-- unicode and special strings, special floats, then ordinary generated values
CREATE TABLE public.type_samples (
    id              integer           PRIMARY KEY,
    c_smallint      smallint,
    c_integer       integer,
    c_bigint        bigint,
    c_numeric       numeric(12,2),
    c_numeric_wide  numeric(20,6),
    c_real          real,
    c_double        double precision,
    c_text          text,
    c_varchar       varchar(50),
    c_char          char(10),
    c_boolean       boolean,
    c_date          date,
    c_time          time,
    c_timestamp     timestamp,
    c_timestamptz   timestamptz,
    c_bytea         bytea,
    c_json          json,
    c_jsonb         jsonb,
    c_uuid          uuid
);

INSERT INTO public.type_samples (id) VALUES (1);

INSERT INTO public.type_samples VALUES
    (2, -32768, -2147483648, -9223372036854775808, -9999999999.99, -99999999999999.999999,
     -3.4e38, -1.7976931348623157e308, '', '', '', false,
     '0001-01-01', '00:00:00', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00',
     '\x', '{}', '{}', '00000000-0000-0000-0000-000000000000'),
    (3, 32767, 2147483647, 9223372036854775807, 9999999999.99, 99999999999999.999999,
     3.4e38, 1.7976931348623157e308, 'z', 'z', 'zzzzzzzzzz', true,
     '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00',
     '\xffffffff', '[1, 2, 3]', '{"a": [1, 2, {"b": null}]}', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
    (4, 0, 0, 0, 0.00, 0.000000, 0, 0, 'Zoë 東京 😀🎉', 'Zoë 東京 😀', 'Zoë', true,
     '2000-02-29', '12:34:56.789', '2000-02-29 12:34:56.789', '2024-03-31 01:30:00+02',
     '\x00ff00', '{"name": "Zoë", "city": "東京", "emoji": "😀"}', '{"name": "Zoë", "city": "東京", "emoji": "😀"}',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
    (5, -1, -1, -1, -0.01, -0.000001, -0.5, -0.1, E'line 1\nline 2\ttab \\ backslash ''quote'' "double"', 'it''s 100% _fine_', 'a b', false,
     '1970-01-01', '00:00:00.000001', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00',
     E'\\x5c27', '"just a string"', 'null', '123e4567-e89b-12d3-a456-426614174000'),
    (6, 1, 1, 1, 0.01, 0.000001, 'NaN', 'Infinity', ' leading and trailing spaces ', ' x ', ' x', NULL,
     '1969-12-31', '23:59:59', '1969-12-31 23:59:59.5', '1969-12-31 23:59:59.5+00',
     NULL, NULL, '[]', NULL);

INSERT INTO public.type_samples
SELECT i,
       (i * 1000 - 12000)::smallint,
       i * 100000 - 1234567,
       i::bigint * 1000000000000 - 3,
       i * 123.45 - 1000,
       i * 1234.567891 - 10000,
       i / 4.0,
       i / 3.0,
       'row ' || i,
       'value-' || i,
       'c' || i,
       i % 2 = 0,
       date '2024-01-31' + i * 29,
       time '08:00' + i * interval '37 minutes 1.5 seconds',
       timestamp '2024-02-28 22:00:00' + i * interval '1 day 1 hour',
       timestamptz '2024-10-27 00:30:00+00' + i * interval '45 minutes',
       decode(lpad(to_hex(i * 4097), 6, '0'), 'hex'),
       json_build_object('i', i, 'even', i % 2 = 0),
       jsonb_build_object('i', i, 'list', jsonb_build_array(i, i * 2)),
       md5('type-sample-' || i)::uuid
FROM generate_series(7, 20) AS i;

-- ----------------------------------------------------------------------------------------------
-- internal.api_keys: the reader has no privilege on schema internal
CREATE TABLE internal.api_keys (
    id      integer  PRIMARY KEY,
    owner   text     NOT NULL,
    secret  text     NOT NULL
);

INSERT INTO internal.api_keys SELECT i, 'service-' || i, md5('secret-' || i) FROM generate_series(1, 5) AS i;

-- ----------------------------------------------------------------------------------------------
-- privileges of the reader role (created by PostgresFixture before this script runs)
REVOKE ALL ON DATABASE shop FROM PUBLIC;

GRANT CONNECT ON DATABASE shop TO gatehouse_ro;

REVOKE ALL ON SCHEMA internal FROM PUBLIC;

GRANT USAGE ON SCHEMA public, sales TO gatehouse_ro;

GRANT SELECT ON ALL TABLES IN SCHEMA public, sales TO gatehouse_ro;

-- tables the admin creates later in these schemas (in tests) are readable too
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public, sales GRANT SELECT ON TABLES TO gatehouse_ro;

-- planner statistics (catalog row estimates: pg_class.reltuples)
ANALYZE;
