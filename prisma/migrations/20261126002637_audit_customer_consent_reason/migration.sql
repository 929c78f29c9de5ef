-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN     "customer_id" UUID;

-- AlterTable
ALTER TABLE "consent_changes" ADD COLUMN     "reason" TEXT;

-- CreateIndex
CREATE INDEX "audit_log_customer_id_id_idx" ON "audit_log"("customer_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_id_idx" ON "audit_log"("actor_id", "id");

-- Backfill (hand-written): entries recorded before customer_id existed get the customer their
-- entity is or belongs to, as src/modules/audit/audit.ts (CUSTOMER_OF) fills new ones. Entities
-- already deleted stay unlinked (nothing left to say whose they were).
UPDATE "audit_log" a SET "customer_id" = c."id" FROM "customers" c
 WHERE a."entity_type" = 'Customer' AND a."entity_id" = c."id"::text;
UPDATE "audit_log" a SET "customer_id" = x."customer_id" FROM "addresses" x
 WHERE a."entity_type" = 'Address' AND a."entity_id" = x."id"::text;
UPDATE "audit_log" a SET "customer_id" = x."customer_id" FROM "orders" x
 WHERE a."entity_type" = 'Order' AND a."entity_id" = x."id"::text;
UPDATE "audit_log" a SET "customer_id" = x."customer_id" FROM "feedback" x
 WHERE a."entity_type" = 'Feedback' AND a."entity_id" = x."id"::text;
UPDATE "audit_log" a SET "customer_id" = x."customer_id" FROM "policies" x
 WHERE a."entity_type" = 'Policy' AND a."entity_id" = x."id"::text;
UPDATE "audit_log" a SET "customer_id" = x."customer_id" FROM "loyalty_accounts" x
 WHERE a."entity_type" = 'LoyaltyAccount' AND a."entity_id" = x."id"::text;
UPDATE "audit_log" a SET "customer_id" = p."customer_id" FROM "claims" x JOIN "policies" p ON p."id" = x."policy_id"
 WHERE a."entity_type" = 'Claim' AND a."entity_id" = x."id"::text;
