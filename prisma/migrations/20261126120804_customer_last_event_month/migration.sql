-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "last_event_month" DATE;

-- Hand-written below. The event side of the activity rollup (migration
-- 20261126002744_customer_activity_months) probed the rollup's primary key once per customer and
-- month of every insert: at 1,000,000 customers that index is ~560 MB, and the probes were 40–90 ms
-- of a 1,000-event batch, the largest part of the statement once the customer update was HOT.
-- Nearly every event falls in the month of the customer's previous one, so the customer row
-- (which the ingest statements have just locked and updated: hot in the buffer cache) now says
-- which month is already marked. Only events of another month probe and mark, and move it on.
-- Invariant: last_event_month = M implies a row (customer, M) with events = true. Both are written
-- in the same transaction, and rows with events are deleted only with their customer. NULL
-- (every existing customer here: no backfill needed) means "not known": probe as before.
CREATE OR REPLACE FUNCTION customer_activity_from_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH months AS (
    SELECT DISTINCT e.customer_id, (date_trunc('month', e.occurred_at AT TIME ZONE 'UTC'))::date AS month FROM new_events e),
  todo AS MATERIALIZED (
    SELECT m.customer_id, m.month, (date_trunc('month', c.created_at AT TIME ZONE 'UTC'))::date AS cohort_month
    FROM months m JOIN customers c ON c.id = m.customer_id
    WHERE c.last_event_month IS DISTINCT FROM m.month),
  marked AS (
    -- Months already marked are skipped before the upsert, so a batch into known months locks no
    -- row; new rows are written in key order, so concurrent batches wait on each other in one order.
    INSERT INTO customer_activity_months AS a (customer_id, month, cohort_month, events)
    SELECT t.customer_id, t.month, t.cohort_month, true FROM todo t
    WHERE NOT EXISTS (SELECT 1 FROM customer_activity_months x WHERE x.customer_id = t.customer_id AND x.month = t.month AND x.events)
    ORDER BY t.customer_id, t.month
    ON CONFLICT (customer_id, month) DO UPDATE SET events = true WHERE NOT a.events)
  -- The event writers hold these customers' row locks already (taken in id order), so this waits
  -- for nothing; a back-dated event never moves the month back.
  UPDATE customers c SET last_event_month = t.month
  FROM (SELECT customer_id, max(month) AS month FROM todo GROUP BY customer_id) t
  WHERE c.id = t.customer_id AND (c.last_event_month IS NULL OR c.last_event_month < t.month);
  RETURN NULL;
END $$;
