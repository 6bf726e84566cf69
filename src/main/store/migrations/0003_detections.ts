// Released migration: never edit. Add a new numbered file instead (see ../README.md).
export default /* sql */ `
-- One row per generation × detector version: the raw signals (so thresholds can be re-tuned without
-- re-running), the settings used and the findings they gave.
CREATE TABLE detections (
  id INTEGER PRIMARY KEY,
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  detector TEXT NOT NULL,
  version TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  signals_json TEXT NOT NULL,
  findings_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (generation_id, detector, version)
);
`;
