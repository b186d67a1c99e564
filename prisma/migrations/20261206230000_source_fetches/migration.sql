-- CreateEnum
CREATE TYPE "FetchOutcome" AS ENUM ('STORED', 'NOT_MODIFIED', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "SourceFetch" (
    "id" UUID NOT NULL,
    "sourceId" UUID NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" "FetchOutcome" NOT NULL,
    "httpStatus" INTEGER,
    "bytes" INTEGER,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "linked" INTEGER NOT NULL DEFAULT 0,
    "newsByTeam" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "jobId" TEXT,
    "nextFetchAt" TIMESTAMPTZ(3),

    CONSTRAINT "SourceFetch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SourceFetch_sourceId_startedAt_idx" ON "SourceFetch"("sourceId", "startedAt" DESC);

-- AddForeignKey
ALTER TABLE "SourceFetch" ADD CONSTRAINT "SourceFetch_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

