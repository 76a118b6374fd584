-- Current version of each event, its history, and the articles it merges.
CREATE TABLE events (
    event_id    TEXT PRIMARY KEY,
    version     INTEGER NOT NULL,
    type        TEXT,
    title       TEXT,
    when_date   TEXT,
    place       TEXT,
    first_seen  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    doc         TEXT NOT NULL
);
CREATE INDEX events_when ON events (when_date);
CREATE INDEX events_updated ON events (updated_at);

CREATE TABLE event_versions (
    event_id    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    stored_at   TEXT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (event_id, version)
);

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL,
    event_version INTEGER NOT NULL,
    url           TEXT,
    source        TEXT,
    title         TEXT,
    published_at  TEXT
);
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_event ON articles (event_id);
