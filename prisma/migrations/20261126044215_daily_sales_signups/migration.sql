-- CreateTable
CREATE TABLE "daily_sales" (
    "day" DATE NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "revenue" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "daily_sales_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "daily_signups" (
    "day" DATE NOT NULL,
    "customers" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "daily_signups_pkey" PRIMARY KEY ("day")
);

-- CreateIndex
CREATE INDEX "orders_placed_at_idx" ON "orders"("placed_at");

-- Hand-written below: backfill and triggers (Prisma's diff cannot express triggers).
-- analyticsOverview over all customers reads these per-UTC-day rollups instead of every order
-- and customer of the range (docs/analytics.md). Statement-level triggers with transition tables
-- keep them exact for every write path (API, imports, seeders, erasure) with one set-based
-- statement per write statement; a day's row is written in day order, so concurrent writers wait
-- on each other in one order. Writers of orders and customers wait until this migration commits.
LOCK TABLE orders, customers IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO daily_sales (day, orders, revenue)
SELECT (placed_at AT TIME ZONE 'UTC')::date, count(*), sum(total) FROM orders WHERE status = 'COMPLETED' GROUP BY 1;
INSERT INTO daily_signups (day, customers)
SELECT (created_at AT TIME ZONE 'UTC')::date, count(*) FROM customers WHERE status <> 'DELETED' GROUP BY 1;

-- Adds signed per-day deltas; a day left with nothing goes (the overview shows it as 0).
CREATE FUNCTION daily_sales_add(days date[], counts int[], amounts numeric[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_sales AS s (day, orders, revenue)
  SELECT d.day, d.n, d.amount FROM unnest(days, counts, amounts) AS d(day, n, amount) ORDER BY d.day
  ON CONFLICT (day) DO UPDATE SET orders = s.orders + excluded.orders, revenue = s.revenue + excluded.revenue;
  DELETE FROM daily_sales s WHERE s.day = ANY(days) AND s.orders = 0;
$$;

-- An order counts while COMPLETED, on the UTC day it was placed, with its total at the time.
CREATE FUNCTION daily_sales_from_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  days date[];
  counts int[];
  amounts numeric[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(day), array_agg(n), array_agg(amount) INTO days, counts, amounts
    FROM (SELECT (placed_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n, sum(total) AS amount
          FROM new_orders WHERE status = 'COMPLETED' GROUP BY 1) x;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(day), array_agg(n), array_agg(amount) INTO days, counts, amounts
    FROM (SELECT day, sum(n)::int AS n, sum(amount) AS amount
          FROM (SELECT (placed_at AT TIME ZONE 'UTC')::date AS day, 1 AS n, total AS amount FROM new_orders WHERE status = 'COMPLETED'
                UNION ALL
                SELECT (placed_at AT TIME ZONE 'UTC')::date, -1, -total FROM old_orders WHERE status = 'COMPLETED') u
          GROUP BY 1 HAVING sum(n) <> 0 OR sum(amount) <> 0) x;
  ELSE
    SELECT array_agg(day), array_agg(n), array_agg(amount) INTO days, counts, amounts
    FROM (SELECT (placed_at AT TIME ZONE 'UTC')::date AS day, -count(*)::int AS n, -sum(total) AS amount
          FROM old_orders WHERE status = 'COMPLETED' GROUP BY 1) x;
  END IF;
  IF days IS NOT NULL THEN
    PERFORM daily_sales_add(days, counts, amounts);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_daily_sales_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION daily_sales_from_orders();
CREATE TRIGGER orders_daily_sales_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION daily_sales_from_orders();
CREATE TRIGGER orders_daily_sales_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION daily_sales_from_orders();

CREATE FUNCTION daily_signups_add(days date[], deltas int[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_signups AS s (day, customers)
  SELECT d.day, d.n FROM unnest(days, deltas) AS d(day, n) ORDER BY d.day
  ON CONFLICT (day) DO UPDATE SET customers = s.customers + excluded.customers;
  DELETE FROM daily_signups s WHERE s.day = ANY(days) AND s.customers = 0;
$$;

-- A customer counts while not DELETED, on the UTC day of created_at. Inserts and deletes are
-- statement-level. Updates are row-level with a WHEN filter instead: a statement-level update
-- trigger with transition tables would copy every updated customers row of every statement
-- (each event batch moves last_activity_at of up to 1,000 customers), while this one fires only
-- for the rare update that changes whether or when a customer counts.
CREATE FUNCTION daily_signups_from_customers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  days date[];
  deltas int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(day), array_agg(n) INTO days, deltas
    FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n
          FROM new_customers WHERE status <> 'DELETED' GROUP BY 1) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(day), array_agg(n) INTO days, deltas
    FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, -count(*)::int AS n
          FROM old_customers WHERE status <> 'DELETED' GROUP BY 1) x;
  ELSE
    SELECT array_agg(day), array_agg(n) INTO days, deltas
    FROM (SELECT day, sum(n)::int AS n
          FROM (SELECT (NEW.created_at AT TIME ZONE 'UTC')::date AS day, 1 AS n WHERE NEW.status <> 'DELETED'
                UNION ALL
                SELECT (OLD.created_at AT TIME ZONE 'UTC')::date, -1 WHERE OLD.status <> 'DELETED') u
          GROUP BY 1 HAVING sum(n) <> 0) x;
  END IF;
  IF days IS NOT NULL THEN
    PERFORM daily_signups_add(days, deltas);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER customers_daily_signups_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_customers FOR EACH STATEMENT EXECUTE FUNCTION daily_signups_from_customers();
CREATE TRIGGER customers_daily_signups_delete AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_customers FOR EACH STATEMENT EXECUTE FUNCTION daily_signups_from_customers();
CREATE TRIGGER customers_daily_signups_update AFTER UPDATE OF status, created_at ON customers
  FOR EACH ROW WHEN ((OLD.status = 'DELETED') IS DISTINCT FROM (NEW.status = 'DELETED') OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION daily_signups_from_customers();
