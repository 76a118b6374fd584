-- Columns and tables readers filter on: entities, quotes, article outlet/text, full-text search.
ALTER TABLE events ADD COLUMN stored_at TEXT;
CREATE INDEX events_type ON events (type);
CREATE INDEX events_place ON events (place);
CREATE INDEX events_stored ON events (stored_at);

ALTER TABLE articles ADD COLUMN outlet TEXT;
ALTER TABLE articles ADD COLUMN text TEXT;
-- One row per canonical URL: keep the newest row of any duplicates already stored.
DELETE FROM articles WHERE url IS NOT NULL AND rowid NOT IN (
    SELECT max(rowid) FROM articles WHERE url IS NOT NULL GROUP BY url
);
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

-- Event title plus the text of its articles, kept in step by the store on every write.
CREATE VIRTUAL TABLE events_fts USING fts5(
    event_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
