-- The per-day rollups of the analytics overview (migration 20261126044215_daily_sales_signups) had
-- one row per day: every transaction that created a customer or completed an order held today's
-- row lock until it committed, so all such writers of the day, on every instance, ran one at a
-- time. A day is now spread over up to 16 rows: each connection writes the slot
-- pg_backend_pid() % 16 (one slot for all of a transaction, so its rows are still locked in day
-- order), and readers sum the slots of a day. Existing rows become slot 0.
ALTER TABLE "daily_sales" DROP CONSTRAINT "daily_sales_pkey",
ADD COLUMN     "slot" SMALLINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "daily_sales_pkey" PRIMARY KEY ("day", "slot");
ALTER TABLE "daily_sales" ALTER COLUMN "slot" DROP DEFAULT;

ALTER TABLE "daily_signups" DROP CONSTRAINT "daily_signups_pkey",
ADD COLUMN     "slot" SMALLINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "daily_signups_pkey" PRIMARY KEY ("day", "slot");
ALTER TABLE "daily_signups" ALTER COLUMN "slot" DROP DEFAULT;

-- Adds signed per-day deltas to this connection's slot. A slot row left with nothing goes (one
-- with no orders but revenue stays: an order's total changed while its count sits in another slot).
CREATE OR REPLACE FUNCTION daily_sales_add(days date[], counts int[], amounts numeric[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_sales AS s (day, slot, orders, revenue)
  SELECT d.day, pg_backend_pid() % 16, d.n, d.amount FROM unnest(days, counts, amounts) AS d(day, n, amount) ORDER BY d.day
  ON CONFLICT (day, slot) DO UPDATE SET orders = s.orders + excluded.orders, revenue = s.revenue + excluded.revenue;
  DELETE FROM daily_sales s WHERE s.day = ANY(days) AND s.slot = pg_backend_pid() % 16 AND s.orders = 0 AND s.revenue = 0;
$$;

CREATE OR REPLACE FUNCTION daily_signups_add(days date[], deltas int[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_signups AS s (day, slot, customers)
  SELECT d.day, pg_backend_pid() % 16, d.n FROM unnest(days, deltas) AS d(day, n) ORDER BY d.day
  ON CONFLICT (day, slot) DO UPDATE SET customers = s.customers + excluded.customers;
  DELETE FROM daily_signups s WHERE s.day = ANY(days) AND s.slot = pg_backend_pid() % 16 AND s.customers = 0;
$$;
