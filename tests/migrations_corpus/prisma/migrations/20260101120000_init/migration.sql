-- CreateTable
CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL,
    "accountSfid" VARCHAR(18) NOT NULL,
    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "salesforce"."account" ADD COLUMN "Score" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "salesforce"."Account" ADD COLUMN "Score" DOUBLE PRECISION;

-- Backfill
UPDATE "salesforce"."contact" SET "email" = lower("email");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_accountSfid_key" ON "Invoice"("accountSfid");
