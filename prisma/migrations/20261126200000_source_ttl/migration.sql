-- AlterTable
ALTER TABLE "Source" ADD COLUMN     "ttlMinutes" INTEGER;

