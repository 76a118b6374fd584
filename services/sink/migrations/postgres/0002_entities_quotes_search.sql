-- Columns and tables readers filter on: entities, quotes, article outlet/text, full-text search.
ALTER TABLE events ADD COLUMN stored_at TIMESTAMPTZ;
CREATE INDEX events_type ON events (type);
CREATE INDEX events_place ON events (place);
CREATE INDEX events_stored ON events (stored_at);
-- 'simple': no stemming, so it treats every language the same.
ALTER TABLE events ADD COLUMN title_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, ''))) STORED;
CREATE INDEX events_title_fts ON events USING gin (title_tsv);
-- Summary, article titles and quotes (what SQLite's events_fts body holds), set by the store.
ALTER TABLE events ADD COLUMN body_tsv tsvector;
CREATE INDEX events_body_fts ON events USING gin (body_tsv);

ALTER TABLE articles ADD COLUMN outlet TEXT;
ALTER TABLE articles ADD COLUMN text TEXT;
ALTER TABLE articles ADD COLUMN text_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))) STORED;
CREATE INDEX articles_text_fts ON articles USING gin (text_tsv);
-- One row per canonical URL: keep one row of any duplicates already stored.
DELETE FROM articles a USING articles b WHERE a.url = b.url AND a.ctid < b.ctid;
CREATE UNIQUE INDEX articles_canonical_url ON articles (url) WHERE url IS NOT NULL;

CREATE TABLE entities (
    entity_id   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    name_key    TEXT NOT NULL
);
CREATE INDEX entities_name_key ON entities (name_key);

CREATE TABLE event_entities (
    event_id    TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    role        TEXT,
    PRIMARY KEY (event_id, entity_id)
);
CREATE INDEX event_entities_entity ON event_entities (entity_id);

CREATE TABLE quotes (
    event_id    TEXT NOT NULL,
    ordinal     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    speaker     TEXT,
    PRIMARY KEY (event_id, ordinal)
);
