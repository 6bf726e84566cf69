// Released migration: never edit. Add a new numbered file instead.
// Run ownership (issue 15). A run, judge run or download is worked on by one process at a time: the owner holds
// a lease row (pid, host, heartbeat). A process that dies leaves its lease behind; the next start finds it
// stale and marks the work `interrupted`, a status runs and judge runs did not have. SQLite cannot change a
// CHECK constraint in place, so both tables are rebuilt (SQLite's 12-step procedure, foreign keys off, see
// migrate.ts), keeping ids; the triggers that name `runs` are dropped and recreated verbatim (0002, 0004),
// since the rename would fail while the old table is gone. Columns are listed: a column added by an earlier
// migration and missing here makes this fail loudly instead of being dropped.
export default /* sql */ `
DROP TRIGGER generations_fts_insert;
DROP TRIGGER generations_fts_update;
DROP TRIGGER items_fts_update;

CREATE TABLE runs_rebuilt (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('generate', 'imported')),
  model_id INTEGER REFERENCES models(id),
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  config_json TEXT,
  -- How the prompt was shaped (prompt file path + sha256, template…), from PreparedMethod.describe().
  method_json TEXT NOT NULL,
  environment_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted')),
  error TEXT,
  total INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO runs_rebuilt (id, name, kind, model_id, dataset_id, config_json, method_json, environment_json, status, error, total, created_at, updated_at)
  SELECT id, name, kind, model_id, dataset_id, config_json, method_json, environment_json, status, error, total, created_at, updated_at FROM runs;
DROP TABLE runs;
ALTER TABLE runs_rebuilt RENAME TO runs;
CREATE INDEX runs_dataset_id ON runs(dataset_id);
CREATE INDEX runs_model_id ON runs(model_id);
CREATE INDEX runs_method ON runs(json_extract(method_json, '$.method'));

CREATE TABLE judge_runs_rebuilt (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  judge_id INTEGER NOT NULL REFERENCES judges(id),
  config_json TEXT NOT NULL,
  environment_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted')),
  error TEXT,
  -- Judge calls planned: generations × repeats.
  total INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO judge_runs_rebuilt (id, name, judge_id, config_json, environment_json, status, error, total, created_at, updated_at)
  SELECT id, name, judge_id, config_json, environment_json, status, error, total, created_at, updated_at FROM judge_runs;
DROP TABLE judge_runs;
ALTER TABLE judge_runs_rebuilt RENAME TO judge_runs;

CREATE TRIGGER generations_fts_insert AFTER INSERT ON generations BEGIN
  INSERT INTO generations_fts (rowid, instruction, output)
  VALUES (
    new.id,
    coalesce((SELECT i.instruction FROM runs r JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = new.item_id
              WHERE r.id = new.run_id), ''),
    new.output
  );
END;

CREATE TRIGGER generations_fts_update AFTER UPDATE OF id, run_id, item_id, output ON generations BEGIN
  DELETE FROM generations_fts WHERE rowid = old.id;
  INSERT INTO generations_fts (rowid, instruction, output)
  VALUES (
    new.id,
    coalesce((SELECT i.instruction FROM runs r JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = new.item_id
              WHERE r.id = new.run_id), ''),
    new.output
  );
END;

CREATE TRIGGER items_fts_update AFTER UPDATE OF instruction ON items BEGIN
  DELETE FROM generations_fts WHERE rowid IN (
    SELECT g.id FROM runs r JOIN generations g ON g.run_id = r.id AND g.item_id = new.item_id WHERE r.dataset_id = new.dataset_id
  );
  INSERT INTO generations_fts (rowid, instruction, output)
  SELECT g.id, new.instruction, g.output
  FROM runs r JOIN generations g ON g.run_id = r.id AND g.item_id = new.item_id
  WHERE r.dataset_id = new.dataset_id;
END;

CREATE TABLE leases (
  kind TEXT NOT NULL CHECK (kind IN ('run', 'judgeRun', 'download')),
  -- runs.id, judge_runs.id or downloads.id: no foreign key, since one column points at three tables and a
  -- lease must never block deleting what it names.
  id INTEGER NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  -- Random per LeaseRepo: two connections of one process (or a reused pid) are still told apart.
  owner_token TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  -- Milliseconds since the epoch, compared with the reader's clock (hosts sharing a store share a clock closely
  -- enough for a time-to-live of a minute).
  heartbeat_ms INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);
`;
