-- CreateEnum
CREATE TYPE "SegmentKind" AS ENUM ('DYNAMIC', 'STATIC');

-- AlterEnum
ALTER TYPE "SegmentStatus" ADD VALUE 'ARCHIVED';

-- AlterTable
ALTER TABLE "segments" ADD COLUMN     "kind" "SegmentKind" NOT NULL DEFAULT 'DYNAMIC',
ADD COLUMN     "lifecycle_stage" TEXT,
ALTER COLUMN "criteria" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "segments_lifecycle_stage_key" ON "segments"("lifecycle_stage");
