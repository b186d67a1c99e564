-- Article bodies are compressed with lz4 where the server is built with it: it compresses a body for
-- about an eighth of the CPU pglz takes (bench/article-compression), for some 14 % more bytes. A
-- server without it (the embedded PGlite among them) keeps pglz; the stored text is the same either way.
DO $$
BEGIN
  ALTER TABLE "Article" ALTER COLUMN "contentHtml" SET COMPRESSION lz4;
EXCEPTION
  WHEN feature_not_supported THEN NULL;
END
$$;
