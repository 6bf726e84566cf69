// Released migration: never edit. Add a new numbered file instead (see ../README.md).
export default /* sql */ `
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  architecture TEXT,
  parameter_count INTEGER,
  quantization TEXT,
  train_context_size INTEGER,
  chat_template TEXT,
  runnable INTEGER NOT NULL,
  metadata_json TEXT NOT NULL,
  added_at TEXT NOT NULL
);
CREATE INDEX models_sha256 ON models(sha256);

CREATE TABLE datasets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  lang TEXT NOT NULL,
  source_path TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  item_count INTEGER NOT NULL,
  -- Datasets of one group are translations of each other: items with the same item_id are parallel.
  parallel_group TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE items (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  instruction TEXT NOT NULL,
  source_id TEXT,
  source_dataset TEXT,
  category TEXT,
  task_types_json TEXT,
  topics_json TEXT,
  difficulty TEXT,
  metadata_json TEXT NOT NULL,
  PRIMARY KEY (dataset_id, item_id)
);
CREATE INDEX items_item_id ON items(item_id);

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('generate', 'imported')),
  model_id INTEGER REFERENCES models(id),
  dataset_id INTEGER NOT NULL REFERENCES datasets(id),
  config_json TEXT,
  -- How the prompt was shaped (prompt file path + sha256, template…), from PreparedMethod.describe().
  method_json TEXT NOT NULL,
  environment_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'done', 'failed', 'cancelled')),
  error TEXT,
  total INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The items a run covers, frozen when it is created, so resume does exactly the missing ones.
CREATE TABLE run_items (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  PRIMARY KEY (run_id, item_id)
);

CREATE TABLE generations (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  prompt TEXT NOT NULL,
  output_raw TEXT NOT NULL,
  output TEXT NOT NULL,
  finish_reason TEXT NOT NULL CHECK (finish_reason IN ('stop', 'eos', 'max-tokens', 'aborted', 'error')),
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

-- Filled by the critical-error and judge issues.
CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  labels_json TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE judgements (
  id INTEGER PRIMARY KEY,
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  judge TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  aspect TEXT NOT NULL,
  score INTEGER,
  rationale TEXT,
  repeat INTEGER NOT NULL DEFAULT 0,
  raw TEXT,
  created_at TEXT NOT NULL
);
`;
