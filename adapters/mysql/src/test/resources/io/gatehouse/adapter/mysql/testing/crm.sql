-- Gatehouse fixture databases "crm", "crm_archive" and "crm_internal" (MariaDB 11.4), loaded once
-- by MariaDbFixture as root into new, empty utf8mb4 databases. All data is deterministic.
-- Rows are generated from the SEQUENCE engine's virtual tables (seq_1_to_N).
--
-- Loader rule: a statement ends with a line whose last character is ';'. Lines starting with
-- "--" are skipped. Do not end any other line with ';'.
--
-- accounts.customer_id matches customers.id of the PostgreSQL "shop" fixture for accounts 1..80;
-- accounts 81..85 have customer_id 101..105, which match no customer. Ids of different tables
-- do not overlap: accounts 1..85, contacts 1..150, interactions 100001..100200.

USE crm;

-- seq is BIGINT UNSIGNED: let expressions such as "seq % 5 - 2" go negative
SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_UNSIGNED_SUBTRACTION');

-- ----------------------------------------------------------------------------------------------
-- crm.accounts: 85 rows
CREATE TABLE crm.accounts (
    id                 INT UNSIGNED   NOT NULL PRIMARY KEY,
    customer_id        INT            NOT NULL,
    name               VARCHAR(120)   NOT NULL,
    tier               ENUM('bronze', 'silver', 'gold', 'platinum') NOT NULL,
    is_active          BOOLEAN        NOT NULL,
    employees          SMALLINT       NULL,
    annual_revenue     DECIMAL(12,2)  NULL,
    health_score       FLOAT          NULL,
    churn_probability  DOUBLE         NULL,
    opened_on          DATE           NOT NULL,
    created_at         DATETIME(6)    NOT NULL,
    updated_at         TIMESTAMP(6)   NULL,
    settings           JSON           NULL,
    logo               BLOB           NULL,
    external_ref       BIGINT         NULL,
    KEY accounts_customer_idx (customer_id)
) ENGINE = InnoDB;

INSERT INTO crm.accounts
SELECT seq,
       IF(seq <= 80, seq, seq + 20),
       CONCAT(ELT(1 + seq % 8, 'Acme', 'Globex', 'Initech', 'Umbrella', 'Müller & Söhne',
                  'Société Générale d''Essai', '株式会社 東京', 'Ølstue 🍺'),
              ' ', ELT(1 + seq % 3, 'GmbH', 'Ltd', 'Inc'), ' #', seq),
       ELT(1 + seq % 4, 'bronze', 'silver', 'gold', 'platinum'),
       seq % 7 <> 0,
       IF(seq % 9 = 0, NULL, (seq * 37) % 5000),
       IF(seq % 10 = 0, NULL, 10000 + ((seq * 7919) % 1000000) * 1.25),
       IF(seq % 11 = 0, NULL, (seq % 100) / 4),
       IF(seq % 12 = 0, NULL, seq / 97),
       DATE '2015-01-01' + INTERVAL (seq * 31) DAY,
       TIMESTAMP '2015-01-01 09:00:00' + INTERVAL (seq * 31) DAY + INTERVAL (seq * 1234567) MICROSECOND,
       IF(seq % 5 = 0, NULL, TIMESTAMP '2024-06-01 12:00:00' + INTERVAL (seq * 7) HOUR + INTERVAL (seq * 250) MICROSECOND),
       IF(seq % 4 = 0, NULL,
          CONCAT('{"timezone": "', ELT(1 + seq % 4, 'UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/New_York'),
                 '", "notify": ', IF(seq % 2 = 0, 'true', 'false'), ', "seats": ', seq % 50, '}')),
       IF(seq % 3 = 0, NULL, UNHEX(MD5(CONCAT('account-', seq)))),
       IF(seq % 6 = 0, NULL, 9000000000000 + seq * 123456789)
FROM seq_1_to_85;

-- crm.contacts: 150 rows; contacts 1..85 are the primary contact of one account each
CREATE TABLE crm.contacts (
    id              INT            NOT NULL PRIMARY KEY,
    account_id      INT UNSIGNED   NOT NULL,
    first_name      VARCHAR(60)    NOT NULL,
    last_name       VARCHAR(60)    NOT NULL,
    email           VARCHAR(200)   NULL,
    phone           VARCHAR(30)    NULL,
    age             TINYINT        NULL,
    is_primary      TINYINT(1)     NOT NULL,
    birthday        DATE           NULL,
    preferred_time  TIME           NULL,
    avatar          VARBINARY(64)  NULL,
    notes           TEXT           NULL,
    CONSTRAINT contacts_account_fk FOREIGN KEY (account_id) REFERENCES crm.accounts (id)
) ENGINE = InnoDB;

INSERT INTO crm.contacts
SELECT seq,
       1 + (seq * 7) % 85,
       ELT(1 + seq % 10, 'Zoë', 'José', 'Ana', 'Björn', 'Łukasz', 'Renée', 'Иван', '美咲', 'Chloé', 'Noah'),
       ELT(1 + (seq * 3) % 11, 'Müller', 'Ødegaard', 'García', 'O''Brien', 'Nguyễn', '田中', 'Smith',
           'Kowalski', 'Dubois', 'Rossi', 'Andersson'),
       IF(seq % 8 = 0, NULL, CONCAT('contact', seq, '@example.org')),
       IF(seq % 5 = 0, NULL, CONCAT('+1-555-', LPAD((seq * 37) % 10000, 4, '0'))),
       IF(seq % 6 = 0, NULL, 18 + seq % 60),
       seq <= 85,
       IF(seq % 7 = 0, NULL, DATE '1960-01-01' + INTERVAL (seq * 211) DAY),
       IF(seq % 3 = 0, NULL, SEC_TO_TIME(8 * 3600 + (seq * 613) % 36000)),
       IF(seq % 4 = 0, NULL, UNHEX(SHA2(CONCAT('avatar-', seq), 256))),
       CASE WHEN seq % 10 = 0 THEN 'Met at the 東京 fair 🎌'
            WHEN seq % 13 = 0 THEN 'Prefers calls after 5pm; speaks français'
            ELSE NULL END
FROM seq_1_to_150;

-- crm.interactions: 200 rows (ids 100001..100200); email interactions have no duration
CREATE TABLE crm.interactions (
    id            BIGINT         NOT NULL PRIMARY KEY,
    contact_id    INT            NOT NULL,
    account_id    INT UNSIGNED   NOT NULL,
    channel       ENUM('email', 'phone', 'meeting', 'chat') NOT NULL,
    occurred_at   DATETIME(6)    NOT NULL,
    recorded_at   TIMESTAMP(6)   NOT NULL,
    duration_sec  INT UNSIGNED   NULL,
    sentiment     TINYINT        NOT NULL,
    score         DECIMAL(12,2)  NULL,
    summary       VARCHAR(500)   NOT NULL,
    payload       JSON           NULL,
    CONSTRAINT interactions_contact_fk FOREIGN KEY (contact_id) REFERENCES crm.contacts (id),
    CONSTRAINT interactions_account_fk FOREIGN KEY (account_id) REFERENCES crm.accounts (id)
) ENGINE = InnoDB;

INSERT INTO crm.interactions
SELECT 100000 + s.seq,
       c.id,
       c.account_id,
       ELT(1 + s.seq % 4, 'email', 'phone', 'meeting', 'chat'),
       TIMESTAMP '2024-01-02 08:00:00' + INTERVAL (s.seq * 157) MINUTE + INTERVAL (s.seq * 1001) MICROSECOND,
       TIMESTAMP '2024-01-02 08:01:30' + INTERVAL (s.seq * 157) MINUTE + INTERVAL (s.seq * 1001) MICROSECOND,
       IF(s.seq % 4 = 0, NULL, 60 + (s.seq * 97) % 3600),
       s.seq % 5 - 2,
       IF(s.seq % 9 = 0, NULL, ((s.seq * 37) % 1000) / 10),
       CONCAT(ELT(1 + s.seq % 6, 'Quarterly review', 'Renewal call', 'Support ticket 🎫',
                  'Démo produit', '東京オフィス訪問', 'Pricing question'), ' #', s.seq),
       IF(s.seq % 3 = 0, NULL,
          CONCAT('{"source": "', ELT(1 + s.seq % 3, 'web', 'app', 'crm'), '", "tags": ["t', s.seq % 4, '"]}'))
FROM seq_1_to_200 AS s
JOIN crm.contacts AS c ON c.id = 1 + (s.seq * 11) % 150;

-- crm.page_views: 50,000 rows for streaming tests
CREATE TABLE crm.page_views (
    id           BIGINT         NOT NULL PRIMARY KEY,
    account_id   INT UNSIGNED   NOT NULL,
    url          VARCHAR(255)   NOT NULL,
    viewed_at    DATETIME(6)    NOT NULL,
    duration_ms  INT UNSIGNED   NOT NULL,
    referrer     VARCHAR(255)   NULL,
    is_bot       BOOLEAN        NOT NULL,
    KEY page_views_account_idx (account_id),
    KEY page_views_viewed_at_idx (viewed_at)
) ENGINE = InnoDB;

INSERT INTO crm.page_views
SELECT seq,
       1 + (seq * 31) % 85,
       CONCAT('/', ELT(1 + seq % 6, 'home', 'pricing', 'docs', 'blog', 'contact', 'ja/東京'), '/', seq % 100),
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (seq * 631) SECOND,
       (seq * 7919) % 120000,
       IF(seq % 4 = 0, NULL, ELT(1 + seq % 3, 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://例え.jp/')),
       seq % 17 = 0
FROM seq_1_to_50000;

-- crm.type_samples: 20 rows, one column per type: an all-NULL row, minimum and maximum values,
-- unicode and special strings, then ordinary generated values
CREATE TABLE crm.type_samples (
    id                 INT              NOT NULL PRIMARY KEY,
    c_tinyint          TINYINT          NULL,
    c_smallint         SMALLINT         NULL,
    c_int              INT              NULL,
    c_bigint           BIGINT           NULL,
    c_int_unsigned     INT UNSIGNED     NULL,
    c_bigint_unsigned  BIGINT UNSIGNED  NULL,
    c_decimal          DECIMAL(12,2)    NULL,
    c_decimal_wide     DECIMAL(20,6)    NULL,
    c_float            FLOAT            NULL,
    c_double           DOUBLE           NULL,
    c_varchar          VARCHAR(50)      NULL,
    c_char             CHAR(10)         NULL,
    c_text             TEXT             NULL,
    c_boolean          BOOLEAN          NULL,
    c_date             DATE             NULL,
    c_time             TIME(6)          NULL,
    c_datetime         DATETIME(6)      NULL,
    c_timestamp        TIMESTAMP(6)     NULL,
    c_blob             BLOB             NULL,
    c_varbinary        VARBINARY(16)    NULL,
    c_json             JSON             NULL,
    c_enum             ENUM('small', 'medium', 'large') NULL
) ENGINE = InnoDB;

INSERT INTO crm.type_samples (id) VALUES (1);

INSERT INTO crm.type_samples VALUES
    (2, -128, -32768, -2147483648, -9223372036854775808, 0, 0, -9999999999.99, -99999999999999.999999,
     -3.40282e38, -1.7976931348623157e308, '', '', '', 0,
     '1000-01-01', '-838:59:59.000000', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000',
     '', '', '{}', 'small'),
    (3, 127, 32767, 2147483647, 9223372036854775807, 4294967295, 18446744073709551615, 9999999999.99, 99999999999999.999999,
     3.40282e38, 1.7976931348623157e308, 'z', 'zzzzzzzzzz', 'z', 1,
     '9999-12-31', '838:59:59.000000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999',
     UNHEX('FFFFFFFF'), UNHEX('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'), '[1, 2, 3]', 'large'),
    (4, 0, 0, 0, 0, 0, 0, 0.00, 0.000000, 0, 0, 'Zoë 東京 😀', 'Zoë', 'Zoë 東京 😀🎉', 1,
     '2000-02-29', '12:34:56.789000', '2000-02-29 12:34:56.789000', '2024-03-31 01:30:00.000000',
     UNHEX('00FF00'), UNHEX('00FF00'), '{"name": "Zoë", "city": "東京", "emoji": "😀"}', 'medium'),
    (5, -1, -1, -1, -1, 1, 1, -0.01, -0.000001, -0.5, -0.1, 'it''s 100% _fine_', 'a b',
     'line 1\nline 2\ttab \\ backslash ''quote'' "double"', 0,
     '1970-01-01', '00:00:00.000001', '1970-01-01 00:00:00.000000', '1970-01-02 00:00:00.000000',
     UNHEX('5C27'), UNHEX('5C27'), '"just a string"', 'small'),
    (6, 1, 1, 1, 1, 2, 2, 0.01, 0.000001, 0.25, 0.1, ' x ', ' x', ' leading and trailing spaces ', NULL,
     '1969-12-31', '23:59:59.500000', '1969-12-31 23:59:59.500000', '2024-10-27 01:30:00.000000',
     NULL, NULL, 'null', NULL);

INSERT INTO crm.type_samples
SELECT seq,
       seq * 5 - 50,
       seq * 1000 - 12000,
       seq * 100000 - 1234567,
       seq * 1000000000000 - 3,
       seq * 200000000,
       seq * 900000000000000000,
       seq * 123.45 - 1000,
       seq * 1234.567891 - 10000,
       seq / 4,
       seq / 3,
       CONCAT('value-', seq),
       CONCAT('c', seq),
       CONCAT('row ', seq),
       seq % 2 = 0,
       DATE '2024-01-31' + INTERVAL (seq * 29) DAY,
       SEC_TO_TIME(8 * 3600 + seq * 2221.5),
       TIMESTAMP '2024-02-28 22:00:00' + INTERVAL (seq * 25) HOUR,
       TIMESTAMP '2024-10-27 00:30:00' + INTERVAL (seq * 45) MINUTE,
       UNHEX(LPAD(HEX(seq * 4097), 6, '0')),
       UNHEX(LPAD(HEX(seq * 4097), 6, '0')),
       CONCAT('{"i": ', seq, ', "even": ', IF(seq % 2 = 0, 'true', 'false'), '}'),
       ELT(1 + seq % 3, 'small', 'medium', 'large')
FROM seq_7_to_20;

-- ----------------------------------------------------------------------------------------------
-- crm_archive.closed_accounts: 20 rows; 12 for the inactive accounts in crm.accounts and 8 for
-- accounts long gone (account_id 901..908, in no table)
CREATE TABLE crm_archive.closed_accounts (
    id             INT            NOT NULL PRIMARY KEY,
    account_id     INT UNSIGNED   NOT NULL,
    closed_on      DATE           NOT NULL,
    reason         VARCHAR(200)   NOT NULL,
    final_balance  DECIMAL(12,2)  NULL
) ENGINE = InnoDB;

INSERT INTO crm_archive.closed_accounts
SELECT id / 7, id, DATE '2024-01-15' + INTERVAL id DAY,
       ELT(1 + id % 3, 'Moved to a competitor', 'Company closed', 'Budget cut — décision du siège'),
       IF(id % 2 = 0, NULL, id * 10.5)
FROM crm.accounts
WHERE NOT is_active;

INSERT INTO crm_archive.closed_accounts
SELECT 12 + seq, 900 + seq, DATE '2019-06-30' + INTERVAL (seq * 13) DAY, 'Archived before the migration', 0
FROM seq_1_to_8;

-- crm_internal.audit_log: the reader has no privilege on crm_internal
CREATE TABLE crm_internal.audit_log (
    id       INT           NOT NULL PRIMARY KEY,
    actor    VARCHAR(60)   NOT NULL,
    action   VARCHAR(200)  NOT NULL
) ENGINE = InnoDB;

INSERT INTO crm_internal.audit_log SELECT seq, CONCAT('admin-', seq), CONCAT('rotated key ', seq) FROM seq_1_to_5;

-- ----------------------------------------------------------------------------------------------
-- privileges of the reader account (created by MariaDbFixture before this script runs)
GRANT SELECT ON crm.* TO 'gatehouse_ro'@'%';

GRANT SELECT ON crm_archive.* TO 'gatehouse_ro'@'%';

-- statistics: InnoDB row estimates and engine-independent column statistics
-- (PERSISTENT FOR ALL: with the default use_stat_tables=PREFERABLY_FOR_QUERIES a plain ANALYZE
-- TABLE does not collect the engine-independent statistics)
ANALYZE TABLE crm.accounts, crm.contacts, crm.interactions, crm.page_views, crm.type_samples,
    crm_archive.closed_accounts, crm_internal.audit_log PERSISTENT FOR ALL;
