-- AlterTable
ALTER TABLE "claims" ADD COLUMN     "incident_date" DATE,
ADD COLUMN     "status_note" TEXT;

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "risk_score_factors" JSONB;
