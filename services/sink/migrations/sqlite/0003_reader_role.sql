-- SQLite has no roles: the API opens the file read-only (mode=ro). Kept so both dialects
-- number their migrations alike.
SELECT 1;
