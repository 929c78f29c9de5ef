-- CreateTable
CREATE TABLE "customer_activity_months" (
    "customer_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "cohort_month" DATE NOT NULL,
    "events" BOOLEAN NOT NULL DEFAULT false,
    "completed_orders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "customer_activity_months_pkey" PRIMARY KEY ("customer_id","month")
);

-- Hand-written: backfill from what is already stored (one pass over events and orders), before
-- the index and the foreign key exist, so that neither is maintained row by row. Writers of
-- events and orders wait until this migration commits (its triggers then take over).
LOCK TABLE customer_events, orders IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO customer_activity_months (customer_id, month, cohort_month, events, completed_orders)
SELECT a.customer_id, a.month, (date_trunc('month', c.created_at AT TIME ZONE 'UTC'))::date, bool_or(a.events), sum(a.orders)::int
FROM (SELECT customer_id, (date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date AS month, true AS events, 0 AS orders
      FROM customer_events GROUP BY 1, 2
      UNION ALL
      SELECT customer_id, (date_trunc('month', placed_at AT TIME ZONE 'UTC'))::date, false, count(*)
      FROM orders WHERE status = 'COMPLETED' GROUP BY 1, 2) a
JOIN customers c ON c.id = a.customer_id
GROUP BY a.customer_id, a.month, c.created_at;

-- CreateIndex
CREATE INDEX "customer_activity_months_cohort_month_month_customer_id_idx" ON "customer_activity_months"("cohort_month", "month", "customer_id");

-- AddForeignKey
ALTER TABLE "customer_activity_months" ADD CONSTRAINT "customer_activity_months_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below: Prisma's diff cannot express triggers.
-- The rollup is kept by statement-level triggers with transition tables, so every write path
-- (eventTrack, eventTrackBatch, order writes, imports, seeders) keeps it exact with one set-based
-- statement per write statement, never work per row.

-- Events only ever add activity (they go only with their customer, whose rows cascade). Months
-- already marked are skipped before the upsert, so a batch into known months locks no row; new
-- rows are written in key order, so concurrent batches wait on each other in one order.
CREATE FUNCTION customer_activity_from_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_activity_months AS a (customer_id, month, cohort_month, events)
  SELECT n.customer_id, n.month,
         (SELECT (date_trunc('month', c.created_at AT TIME ZONE 'UTC'))::date FROM customers c WHERE c.id = n.customer_id), true
  FROM (SELECT DISTINCT e.customer_id, (date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'))::date AS month FROM new_events e) n
  WHERE NOT EXISTS (SELECT 1 FROM customer_activity_months x WHERE x.customer_id = n.customer_id AND x.month = n.month AND x.events)
  ORDER BY n.customer_id, n.month
  ON CONFLICT (customer_id, month) DO UPDATE SET events = true WHERE NOT a.events;
  RETURN NULL;
END $$;

CREATE TRIGGER customer_events_activity_months AFTER INSERT ON customer_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION customer_activity_from_events();

-- Adds completed-order counts per (customer, month); a month left with no completed order and
-- no event is no longer activity, and its row goes.
CREATE FUNCTION customer_activity_add_orders(ids uuid[], months date[], deltas int[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO customer_activity_months AS a (customer_id, month, cohort_month, completed_orders)
  SELECT d.id, d.month, (date_trunc('month', c.created_at AT TIME ZONE 'UTC'))::date, d.delta
  FROM unnest(ids, months, deltas) AS d(id, month, delta) JOIN customers c ON c.id = d.id
  WHERE d.delta > 0 ORDER BY d.id, d.month
  ON CONFLICT (customer_id, month) DO UPDATE SET completed_orders = a.completed_orders + excluded.completed_orders;
  UPDATE customer_activity_months a SET completed_orders = greatest(a.completed_orders + d.delta, 0)
  FROM unnest(ids, months, deltas) AS d(id, month, delta) WHERE d.delta < 0 AND a.customer_id = d.id AND a.month = d.month;
  DELETE FROM customer_activity_months a USING unnest(ids, months, deltas) AS d(id, month, delta)
  WHERE d.delta < 0 AND a.customer_id = d.id AND a.month = d.month AND a.completed_orders = 0 AND NOT a.events;
$$;

-- An order counts while COMPLETED, in the month it was placed: +1 for each that appears (insert,
-- or an update into COMPLETED, to another month or customer), -1 for each that disappears.
CREATE FUNCTION customer_activity_from_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  months date[];
  deltas int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(customer_id), array_agg(month), array_agg(delta) INTO ids, months, deltas
    FROM (SELECT customer_id, (date_trunc('month', placed_at AT TIME ZONE 'UTC'))::date AS month, count(*)::int AS delta
          FROM new_orders WHERE status = 'COMPLETED' GROUP BY 1, 2) x;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(customer_id), array_agg(month), array_agg(delta) INTO ids, months, deltas
    FROM (SELECT customer_id, month, sum(delta)::int AS delta
          FROM (SELECT customer_id, (date_trunc('month', placed_at AT TIME ZONE 'UTC'))::date AS month, 1 AS delta FROM new_orders WHERE status = 'COMPLETED'
                UNION ALL
                SELECT customer_id, (date_trunc('month', placed_at AT TIME ZONE 'UTC'))::date, -1 FROM old_orders WHERE status = 'COMPLETED') u
          GROUP BY 1, 2 HAVING sum(delta) <> 0) x;
  ELSE
    SELECT array_agg(customer_id), array_agg(month), array_agg(delta) INTO ids, months, deltas
    FROM (SELECT customer_id, (date_trunc('month', placed_at AT TIME ZONE 'UTC'))::date AS month, -count(*)::int AS delta
          FROM old_orders WHERE status = 'COMPLETED' GROUP BY 1, 2) x;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM customer_activity_add_orders(ids, months, deltas);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_activity_months_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION customer_activity_from_orders();
CREATE TRIGGER orders_activity_months_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION customer_activity_from_orders();
CREATE TRIGGER orders_activity_months_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION customer_activity_from_orders();
