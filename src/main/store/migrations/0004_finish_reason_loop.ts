// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// The early loop stop records its own finish reason, "loop". SQLite cannot change a CHECK constraint in place,
// so the generations table is rebuilt (SQLite's 12-step procedure; runs with foreign keys off, see migrate.ts).
// Ids are kept, so the full-text index (rowid = generation id) and every reference stay valid.
export default /* sql */ `
-- Triggers that name generations would make the rename below fail while the old table is gone.
DROP TRIGGER items_fts_update;

CREATE TABLE generations_rebuilt (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  prompt TEXT NOT NULL,
  output_raw TEXT NOT NULL,
  output TEXT NOT NULL,
  finish_reason TEXT NOT NULL CHECK (finish_reason IN ('stop', 'eos', 'max-tokens', 'loop', 'aborted', 'error')),
  error TEXT,
  prompt_tokens INTEGER,
  evaluated_prompt_tokens INTEGER,
  output_tokens INTEGER,
  wall_ms REAL,
  tokens_per_second REAL,
  seed INTEGER,
  generator TEXT,
  extra_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  UNIQUE (run_id, item_id)
);
INSERT INTO generations_rebuilt SELECT * FROM generations;
DROP TABLE generations;
ALTER TABLE generations_rebuilt RENAME TO generations;

-- Dropped with the old table: recreated exactly as in 0002.
CREATE INDEX generations_finish_reason_run ON generations(finish_reason, run_id);

CREATE TRIGGER generations_fts_insert AFTER INSERT ON generations BEGIN
  INSERT INTO generations_fts (rowid, instruction, output)
  VALUES (
    new.id,
    coalesce((SELECT i.instruction FROM runs r JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = new.item_id
              WHERE r.id = new.run_id), ''),
    new.output
  );
END;

CREATE TRIGGER generations_fts_delete AFTER DELETE ON generations BEGIN
  DELETE FROM generations_fts WHERE rowid = old.id;
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
`;
