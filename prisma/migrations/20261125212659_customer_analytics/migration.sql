-- CreateTable
CREATE TABLE "customer_analytics" (
    "customer_id" UUID NOT NULL,
    "total_spent" DECIMAL(14,2) NOT NULL,
    "order_count" INTEGER NOT NULL,
    "first_order_at" TIMESTAMPTZ(3),
    "last_order_at" TIMESTAMPTZ(3),
    "orders_last_year" INTEGER NOT NULL,
    "spend_last_90" DECIMAL(14,2) NOT NULL,
    "spend_prior_90" DECIMAL(14,2) NOT NULL,
    "events_last_30" INTEGER NOT NULL,
    "last_event_at" TIMESTAMPTZ(3),
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_analytics_pkey" PRIMARY KEY ("customer_id")
);

-- AddForeignKey
ALTER TABLE "customer_analytics" ADD CONSTRAINT "customer_analytics_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
