-- CreateTable
CREATE TABLE "lifecycle_thresholds" (
    "stage" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "signup_within_days" INTEGER,
    "min_orders" INTEGER,
    "min_total_spent" DECIMAL(14,2),
    "last_order_within_days" INTEGER,
    "last_order_not_within_days" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lifecycle_thresholds_pkey" PRIMARY KEY ("stage")
);

-- CreateIndex
CREATE UNIQUE INDEX "lifecycle_thresholds_position_key" ON "lifecycle_thresholds"("position");

-- Defaults: churned after a year without an order, at risk after 90 days, VIP from 1,000 spent
-- with a recent order, regular from 2 orders with a recent one, new within 30 days of signup.
INSERT INTO "lifecycle_thresholds" ("stage", "position", "signup_within_days", "min_orders", "min_total_spent", "last_order_within_days", "last_order_not_within_days") VALUES
  ('CHURNED', 1, NULL, 1, NULL, NULL, 365),
  ('AT_RISK', 2, NULL, 1, NULL, NULL, 90),
  ('VIP', 3, NULL, 1, 1000, 90, NULL),
  ('REGULAR', 4, NULL, 2, NULL, 90, NULL),
  ('NEW', 5, 30, NULL, NULL, NULL, NULL);
