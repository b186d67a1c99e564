-- Article bodies are compressed with lz4 where the server is built with it: about a quarter of the
-- cost of pglz to write, and faster to read. A server without it (the embedded PGlite among them)
-- keeps pglz; the stored text is the same either way.
DO $$
BEGIN
  ALTER TABLE "Article" ALTER COLUMN "contentHtml" SET COMPRESSION lz4;
EXCEPTION
  WHEN feature_not_supported THEN NULL;
END
$$;
