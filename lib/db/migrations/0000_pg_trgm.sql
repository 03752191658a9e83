-- Trigram indexes let the case-insensitive substring search over chat titles and message text use an index.
-- pg_trgm is a trusted contrib extension: Neon, Supabase, RDS and Debian's postgresql package all ship it,
-- and the embedded PGlite loads it (lib/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
