// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// Annotation across machines (issue 16). The study's store records what it handed out (studies, their items by
// content key and who got them, packages, merged returns); an annotator's store records the packages it opened
// and which of its generations stand for which package item. Items are keyed by content (sha256 of item id,
// language, instruction and raw output), never by another store's row ids.
export default /* sql */ `
-- OWNER SIDE
CREATE TABLE annotation_studies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- The reader's SelectionFilter the study was cut from, and the runs its generations came from.
  selection_json TEXT NOT NULL,
  run_ids_json TEXT NOT NULL,
  annotators_json TEXT NOT NULL,
  overlap REAL NOT NULL,
  seed INTEGER NOT NULL,
  blind INTEGER NOT NULL CHECK (blind IN (0, 1)),
  guidelines TEXT NOT NULL,
  labels_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- The assignment: which content key went to which annotator (overlap keys go to every annotator).
CREATE TABLE annotation_study_items (
  study_id TEXT NOT NULL REFERENCES annotation_studies(id) ON DELETE CASCADE,
  item_key TEXT NOT NULL,
  annotator TEXT NOT NULL,
  -- What the key stood for, to name an item in messages once its output has changed.
  item_id TEXT NOT NULL,
  lang TEXT NOT NULL,
  PRIMARY KEY (study_id, item_key, annotator)
);

CREATE TABLE annotation_study_packages (
  id TEXT PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES annotation_studies(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  UNIQUE (study_id, annotator)
);

-- Each returned file merged: a file is merged once; a later export of the same package may follow.
CREATE TABLE annotation_merges (
  export_id TEXT PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES annotation_studies(id) ON DELETE CASCADE,
  package_id TEXT NOT NULL REFERENCES annotation_study_packages(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  file_sha256 TEXT NOT NULL UNIQUE,
  exported_at TEXT NOT NULL,
  active_seconds REAL NOT NULL,
  annotations INTEGER NOT NULL,
  merged_at TEXT NOT NULL
);
CREATE INDEX annotation_merges_package ON annotation_merges(package_id, exported_at);

-- ANNOTATOR SIDE
CREATE TABLE annotation_packages (
  id TEXT PRIMARY KEY,
  study_id TEXT NOT NULL,
  study_name TEXT NOT NULL,
  annotator TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  blind INTEGER NOT NULL CHECK (blind IN (0, 1)),
  guidelines TEXT NOT NULL,
  labels_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  opened_at TEXT NOT NULL
);

CREATE TABLE annotation_package_items (
  package_id TEXT NOT NULL REFERENCES annotation_packages(id) ON DELETE CASCADE,
  item_key TEXT NOT NULL,
  generation_id INTEGER NOT NULL UNIQUE REFERENCES generations(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  PRIMARY KEY (package_id, item_key)
);
`;
