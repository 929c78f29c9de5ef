-- CreateTable
CREATE TABLE "domain_events" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "action" TEXT NOT NULL,
    "customer_id" UUID,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "domain_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "domain_event_relays" (
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "locked_by" TEXT,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "domain_event_relays_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "domain_events_event_id_key" ON "domain_events"("event_id");

-- CreateIndex
CREATE INDEX "domain_events_published_at_id_idx" ON "domain_events"("published_at", "id");

-- Hand-written: the triggers that capture domain events (docs/integrations.md). Statement-level
-- with transition tables, so a set-based write (a segment recalculation, a bulk update) adds one
-- INSERT … SELECT, not one per row. Capture is on once a relay row is enabled (an instance with
-- NATS_URL started); before that the triggers write nothing.
CREATE FUNCTION domain_events_capture_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM domain_event_relays WHERE enabled) THEN
    RETURN NULL;
  END IF;
  INSERT INTO domain_events (action, customer_id, entity_type, entity_id, data, occurred_at)
  SELECT a.action,
         -- audit_log.customer_id is filled by recordAudit (and cleared by erasure); the lookups cover
         -- entries written without it
         COALESCE(a.customer_id, CASE a.entity_type
           WHEN 'Customer' THEN k.id
           WHEN 'Address' THEN (SELECT x.customer_id FROM addresses x WHERE x.id = k.id)
           WHEN 'LoyaltyAccount' THEN (SELECT x.customer_id FROM loyalty_accounts x WHERE x.id = k.id)
           WHEN 'Order' THEN (SELECT x.customer_id FROM orders x WHERE x.id = k.id)
           WHEN 'Feedback' THEN (SELECT x.customer_id FROM feedback x WHERE x.id = k.id)
           WHEN 'Policy' THEN (SELECT x.customer_id FROM policies x WHERE x.id = k.id)
           WHEN 'Claim' THEN (SELECT p.customer_id FROM claims c JOIN policies p ON p.id = c.policy_id WHERE c.id = k.id)
         END),
         a.entity_type,
         a.entity_id,
         jsonb_strip_nulls(jsonb_build_object('changedFields', to_jsonb(a.changed_fields), 'actorRole', a.actor_role)),
         a.at
    FROM new_audit a
    -- entity_id is text: only a well-formed UUID is cast (a malformed one must not fail the change)
    CROSS JOIN LATERAL (
      SELECT CASE WHEN a.entity_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN a.entity_id::uuid END AS id
    ) k
   -- internal administration (staff, logins, API keys, webhooks, jobs) and reads (exports) are
   -- not domain events
   WHERE a.action NOT LIKE 'staff.%' AND a.action NOT LIKE 'login.%' AND a.action NOT LIKE 'apiKey.%'
     AND a.action NOT LIKE 'webhookSubscription.%' AND a.action NOT LIKE 'job.%'
     AND a.action NOT LIKE 'customer.export.%';
  RETURN NULL;
END $$;

CREATE TRIGGER audit_log_domain_events AFTER INSERT ON audit_log
  REFERENCING NEW TABLE AS new_audit FOR EACH STATEMENT EXECUTE FUNCTION domain_events_capture_audit();

CREATE FUNCTION domain_events_capture_membership() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM domain_event_relays WHERE enabled) THEN
    RETURN NULL;
  END IF;
  INSERT INTO domain_events (action, customer_id, entity_type, entity_id, data, occurred_at)
  SELECT 'segment.membership.' || lower(c.change::text), c.customer_id, 'Segment', c.segment_id::text, '{}', c.at
    FROM new_changes c;
  RETURN NULL;
END $$;

CREATE TRIGGER segment_membership_changes_domain_events AFTER INSERT ON segment_membership_changes
  REFERENCING NEW TABLE AS new_changes FOR EACH STATEMENT EXECUTE FUNCTION domain_events_capture_membership();
