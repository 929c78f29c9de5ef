-- AlterEnum
ALTER TYPE "LedgerEntryType" ADD VALUE 'CLAWBACK';

-- AlterTable
ALTER TABLE "loyalty_ledger" ADD COLUMN     "as_of" TIMESTAMPTZ(3),
ADD COLUMN     "shortfall" INTEGER;

-- CreateTable
CREATE TABLE "policy_premium_payments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "policy_id" UUID NOT NULL,
    "due_on" DATE NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "paid_on" DATE,
    "recorded_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_premium_payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coverage_rule_settings" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "dime_income_years" INTEGER NOT NULL,
    "income_multiple" INTEGER NOT NULL,
    "age_no_health_older_than" INTEGER NOT NULL,
    "age_no_accident_older_than" INTEGER NOT NULL,
    "expiring_within_days" INTEGER NOT NULL,
    "expiring_urgent_within_days" INTEGER NOT NULL,
    "max_premium_share_of_income" DECIMAL(5,4) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coverage_rule_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coverage_floors" (
    "currency" CHAR(3) NOT NULL,
    "amount" DECIMAL(16,2) NOT NULL,

    CONSTRAINT "coverage_floors_pkey" PRIMARY KEY ("currency")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_premium_payments_policy_id_due_on_key" ON "policy_premium_payments"("policy_id", "due_on");

-- AddForeignKey
ALTER TABLE "policy_premium_payments" ADD CONSTRAINT "policy_premium_payments_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_premium_payments" ADD CONSTRAINT "policy_premium_payments_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Checks Prisma cannot express.
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_shortfall_check" CHECK ("shortfall" IS NULL OR "shortfall" >= 0);
-- A clawback that found nothing left to take records only its shortfall (points 0); every other entry moves points.
-- (type::text: the new enum value cannot be used as a literal in the transaction that adds it.)
ALTER TABLE "loyalty_ledger" DROP CONSTRAINT "loyalty_ledger_points_non_zero";
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_points_non_zero" CHECK ("points" <> 0 OR ("type"::text = 'CLAWBACK' AND "shortfall" > 0));
ALTER TABLE "policy_premium_payments" ADD CONSTRAINT "policy_premium_payments_amount_check" CHECK ("amount" > 0);
ALTER TABLE "coverage_rule_settings" ADD CONSTRAINT "coverage_rule_settings_single_row" CHECK ("id" = 1);
ALTER TABLE "coverage_rule_settings" ADD CONSTRAINT "coverage_rule_settings_share_check" CHECK ("max_premium_share_of_income" > 0 AND "max_premium_share_of_income" <= 1);
ALTER TABLE "coverage_rule_settings" ADD CONSTRAINT "coverage_rule_settings_urgent_check" CHECK ("expiring_urgent_within_days" <= "expiring_within_days");
ALTER TABLE "coverage_floors" ADD CONSTRAINT "coverage_floors_amount_check" CHECK ("amount" >= 0);

-- The defaults of DEFAULT_RULES (src/modules/coverage/coverage.rules.ts); ADMIN changes them with coverageSettingsUpdate.
INSERT INTO "coverage_rule_settings" ("id", "dime_income_years", "income_multiple", "age_no_health_older_than", "age_no_accident_older_than", "expiring_within_days", "expiring_urgent_within_days", "max_premium_share_of_income") VALUES
  (1, 10, 10, 50, 50, 30, 7, 0.15);
INSERT INTO "coverage_floors" ("currency", "amount") VALUES
  ('KRW', 100000000), ('USD', 75000), ('EUR', 70000), ('GBP', 60000), ('JPY', 11000000),
  ('CHF', 65000), ('CAD', 100000), ('AUD', 110000), ('CNY', 540000);
