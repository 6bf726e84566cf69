// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// Model library (issue 7): model families with a role per member, and a sha256 cache so that re-adding or
// re-scanning an unchanged multi-GB file never hashes it again.
export default /* sql */ `
-- A family groups a base model with its instruction-tuned and preference-aligned variants, so that a run
-- plan can say "every role of this family" and results can be grouped by family and role.
CREATE TABLE model_families (
  id INTEGER PRIMARY KEY,
  name TEXT UNIQUE NOT NULL,
  created_at TEXT NOT NULL
);
-- NULL = not in a family / no role yet (the repository sets and clears the two together).
ALTER TABLE models ADD COLUMN family_id INTEGER REFERENCES model_families(id) ON DELETE SET NULL;
ALTER TABLE models ADD COLUMN role TEXT CHECK (role IN ('base', 'sft', 'dpo', 'other'));
CREATE INDEX models_family ON models(family_id);

-- The sha256 of a file as it was when hashed: valid while its path, modification time and size are unchanged.
-- One row per path (the latest state of that file).
CREATE TABLE file_hashes (
  path TEXT PRIMARY KEY,
  mtime_ms REAL NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  hashed_at TEXT NOT NULL
);
`;
