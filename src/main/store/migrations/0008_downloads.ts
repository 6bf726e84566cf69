// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// Model downloads (issue 7): each transfer's state, so that a download interrupted by quitting the app is
// offered for resume at the next start (the partial bytes themselves stay next to the file, in node-llama-cpp's
// `.ipull` progress record), and a small key/value table for app settings (the download folder…).
export default /* sql */ `
CREATE TABLE downloads (
  id INTEGER PRIMARY KEY,
  -- What was asked for: an hf: URI or an http(s) URL, and the folder it goes to.
  uri TEXT NOT NULL,
  dir TEXT NOT NULL,
  -- The catalogue entry it came from, when it did (resources/catalogue/models.json).
  catalogue_id TEXT,
  -- Known once the URI is resolved.
  file_name TEXT,
  total_bytes INTEGER,
  downloaded_bytes INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('downloading', 'paused', 'verifying', 'done', 'failed', 'cancelled')),
  -- Plain words for failed downloads: what happened and what to do.
  error TEXT,
  -- The model the verified file became.
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX downloads_status ON downloads(status);

-- App settings: one JSON value per key (the repository validates what it reads).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);
`;
