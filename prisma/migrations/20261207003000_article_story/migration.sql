-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "storyId" UUID;

-- CreateIndex
CREATE INDEX "Article_storyId_publishedAt_id_idx" ON "Article"("storyId", "publishedAt", "id");

