// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// LLM judging (Just-Eval protocol): judges, versioned rubrics, judge runs on the run queue, one row per judge
// call (the exact prompt, raw reply, settings) and one row per aspect score. The judgements table of 0001 was
// a placeholder that nothing ever wrote: it is replaced.
export default /* sql */ `
CREATE TABLE judges (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('local', 'openai')),
  -- What the judgement cache keys on: gguf:<sha256> or openai:<base url>#<model>.
  identity TEXT NOT NULL,
  model_id INTEGER REFERENCES models(id),
  base_url TEXT,
  model TEXT,
  -- How to find the API key, never the key in plaintext: {"source":"none"}, {"source":"env","variable":…},
  -- or {"source":"encrypted"} with api_key_encrypted holding an Electron safeStorage blob (base64).
  api_key_json TEXT NOT NULL DEFAULT '{"source":"none"}',
  api_key_encrypted TEXT,
  concurrency INTEGER NOT NULL DEFAULT 4,
  timeout_ms INTEGER NOT NULL DEFAULT 120000,
  max_retries INTEGER NOT NULL DEFAULT 4,
  created_at TEXT NOT NULL
);

-- Rubrics are immutable: editing one inserts a copy with a new version (parent = the old one).
CREATE TABLE rubrics (
  version TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('aspects', 'safety')),
  aspects_json TEXT NOT NULL,
  prompts_json TEXT NOT NULL,
  builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
  parent TEXT REFERENCES rubrics(version),
  created_at TEXT NOT NULL
);

CREATE TABLE judge_runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  judge_id INTEGER NOT NULL REFERENCES judges(id),
  config_json TEXT NOT NULL,
  environment_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'done', 'failed', 'cancelled')),
  error TEXT,
  -- Judge calls planned: generations × repeats.
  total INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

DROP TABLE judgements;

-- One judge call = one generation × judge × rubric version × judge language × repeat. The UNIQUE key is the
-- cache: a judge run skips every call that already has a row.
CREATE TABLE judge_calls (
  id INTEGER PRIMARY KEY,
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  judge_run_id INTEGER REFERENCES judge_runs(id) ON DELETE SET NULL,
  judge TEXT NOT NULL,
  rubric_version TEXT NOT NULL REFERENCES rubrics(version),
  judge_lang TEXT NOT NULL,
  repeat INTEGER NOT NULL,
  system_prompt TEXT NOT NULL,
  user_prompt TEXT NOT NULL,
  raw TEXT,
  -- Why the verdict is N/A; NULL when the reply parsed.
  error TEXT,
  seed INTEGER NOT NULL,
  temperature REAL NOT NULL,
  attempts INTEGER NOT NULL,
  wall_ms REAL NOT NULL,
  environment_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  UNIQUE (generation_id, judge, rubric_version, judge_lang, repeat)
);
CREATE INDEX judge_calls_run ON judge_calls(judge_run_id);

-- One row per aspect of a call. score NULL = N/A (never a silent 5); the key columns are copied from the call
-- so the aggregates read one table.
CREATE TABLE judgements (
  call_id INTEGER NOT NULL REFERENCES judge_calls(id) ON DELETE CASCADE,
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  judge TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  judge_lang TEXT NOT NULL,
  repeat INTEGER NOT NULL,
  aspect TEXT NOT NULL,
  score INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
  rationale TEXT,
  PRIMARY KEY (call_id, aspect)
) WITHOUT ROWID;
-- Results: the filtered generations are read first, then each one's scores by generation id; with every column
-- the aggregates need in the index they never visit the table (bench P5A: the all-filters query halves).
CREATE INDEX judgements_results ON judgements(generation_id, aspect, judge, rubric_version, judge_lang, score);
CREATE INDEX judgements_aspect ON judgements(aspect, judge, rubric_version, generation_id, score);
`;
