// Released once shipped: never edit. Add a new numbered file instead.
// The generations reader (GenerationQueryRepo): indexes for its filters and a full-text index over each
// generation's instruction and output.
export default /* sql */ `
-- Finish reason alone ("show me every max-tokens / error") and finish reason × runs. Led by finish_reason on purpose:
-- run_id alone is already served by the UNIQUE (run_id, item_id) index, and both columns are equality/IN constraints,
-- so this one index answers either filter and the pair, covering (the rowid is in every index entry).
CREATE INDEX generations_finish_reason_run ON generations(finish_reason, run_id);

-- Runs and datasets are small (one row per run / file), but these keep joins and the method facet off table scans
-- as they grow, and runs.dataset_id is a foreign key that had no index.
CREATE INDEX runs_dataset_id ON runs(dataset_id);
CREATE INDEX runs_model_id ON runs(model_id);
-- The reader filters on this exact expression; keep it spelled the same in GenerationQueryRepo.
CREATE INDEX runs_method ON runs(json_extract(method_json, '$.method'));
CREATE INDEX datasets_parallel_group ON datasets(parallel_group);
CREATE INDEX items_dataset_category ON items(dataset_id, category);

-- Full text of each generation: the item's instruction and the cleaned output, rowid = generations.id.
-- Contentless (the text already lives in items and generations; no second copy), with contentless_delete so rows
-- can be removed by rowid. unicode61 + remove_diacritics 2 folds case and accents for EN/FR/ES ("energie" finds
-- "énergie", "nino" finds "niño").
CREATE VIRTUAL TABLE generations_fts USING fts5(
  instruction,
  output,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

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

-- A contentless table cannot update some columns in place: delete the old entry, index the new values.
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

-- Items are not edited today, but if an instruction ever is, its generations must be found by the new text.
CREATE TRIGGER items_fts_update AFTER UPDATE OF instruction ON items BEGIN
  DELETE FROM generations_fts WHERE rowid IN (
    SELECT g.id FROM runs r JOIN generations g ON g.run_id = r.id AND g.item_id = new.item_id WHERE r.dataset_id = new.dataset_id
  );
  INSERT INTO generations_fts (rowid, instruction, output)
  SELECT g.id, new.instruction, g.output
  FROM runs r JOIN generations g ON g.run_id = r.id AND g.item_id = new.item_id
  WHERE r.dataset_id = new.dataset_id;
END;

-- Backfill: generations stored before this migration.
INSERT INTO generations_fts (rowid, instruction, output)
SELECT g.id, coalesce(i.instruction, ''), g.output
FROM generations g
JOIN runs r ON r.id = g.run_id
LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id;
`;
