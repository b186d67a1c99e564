-- AlterTable
ALTER TABLE "ArticleSource" ADD COLUMN     "aliasKeys" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "ArticleSource_aliasKeys_idx" ON "ArticleSource" USING GIN ("aliasKeys");

