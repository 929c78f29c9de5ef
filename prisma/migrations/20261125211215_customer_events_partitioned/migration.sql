-- Hand-written: Prisma's diff cannot express partitioning. The events table (empty until now)
-- becomes a table range-partitioned by month on occurred_at, so that reads of recent events
-- touch only recent partitions and old months can be detached or dropped whole.
-- Indexes are declared on the parent and cascade to every partition:
--   * btree (customer_id, type, occurred_at): segment conditions and analytics per customer;
--   * BRIN (occurred_at): range scans over time (cohorts, engagement), tiny next to a btree.
-- The primary key must include the partition column; client event ids are made unique in
-- customer_event_keys instead (one row per id, not partitioned).
DROP TABLE "customer_events";

CREATE TABLE "customer_events" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event_id" TEXT,
    "session_id" TEXT,
    "device" JSONB,

    CONSTRAINT "customer_events_pkey" PRIMARY KEY ("id", "occurred_at")
) PARTITION BY RANGE ("occurred_at");

CREATE INDEX "customer_events_customer_id_type_occurred_at_idx" ON "customer_events"("customer_id", "type", "occurred_at");
CREATE INDEX "customer_events_occurred_at_idx" ON "customer_events" USING BRIN ("occurred_at" timestamptz_minmax_ops);
ALTER TABLE "customer_events" ADD CONSTRAINT "customer_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Events outside every monthly partition land here instead of failing.
CREATE TABLE "customer_events_default" PARTITION OF "customer_events" DEFAULT;

-- Creates the monthly partitions customer_events_YYYYMM for `months` months from `first_month`
-- (idempotent). The segment scheduler calls it to stay ahead of time; seeders call it for their range.
CREATE FUNCTION customer_events_ensure_partitions(first_month date, months int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', first_month)::date;
  created int := 0;
  name text;
BEGIN
  FOR i IN 1..months LOOP
    name := format('customer_events_%s', to_char(m, 'YYYYMM'));
    IF to_regclass(name) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF customer_events FOR VALUES FROM (%L) TO (%L)', name, m::timestamptz, (m + interval '1 month')::timestamptz);
        created := created + 1;
      EXCEPTION
        WHEN check_violation THEN NULL; -- the default partition already holds events of that month: they stay there
        WHEN duplicate_table OR unique_violation THEN NULL; -- another instance created it just now
      END;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN created;
END $$;

SELECT customer_events_ensure_partitions((date_trunc('month', now()) - interval '1 month')::date, 4);

CREATE TABLE "customer_event_keys" (
    "event_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_event_keys_pkey" PRIMARY KEY ("event_id")
);
ALTER TABLE "customer_event_keys" ADD CONSTRAINT "customer_event_keys_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
