-- CreateEnum
CREATE TYPE "LoyaltyTierChangeKind" AS ENUM ('UPGRADE', 'SET', 'REVIEW');

-- CreateTable
CREATE TABLE "loyalty_tier_changes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "kind" "LoyaltyTierChangeKind" NOT NULL,
    "from_tier" "LoyaltyTier" NOT NULL,
    "to_tier" "LoyaltyTier" NOT NULL,
    "qualifying_points" INTEGER,
    "reason" TEXT,
    "actor_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "loyalty_tier_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "loyalty_tier_changes_account_id_created_at_idx" ON "loyalty_tier_changes"("account_id", "created_at");

-- AddForeignKey
ALTER TABLE "loyalty_tier_changes" ADD CONSTRAINT "loyalty_tier_changes_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "loyalty_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A recorded change always changes the tier.
ALTER TABLE "loyalty_tier_changes" ADD CONSTRAINT "loyalty_tier_changes_changes_tier" CHECK ("from_tier" <> "to_tier");
