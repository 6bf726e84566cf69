// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// Human critical-error annotation: project labels, one current annotation per generation × annotator with its
// history (for undo), an event log per annotator, and assignments for overlap (double annotation).
export default /* sql */ `
-- The labels annotators pick from: the built-in critical-error labels (CRITICAL_LABELS, same order) and any
-- the project adds. The definition is shown next to the checkbox.
CREATE TABLE labels (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
  position INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
INSERT INTO labels (name, definition, builtin, position, created_at) VALUES
  ('infinite-loop', 'The output repeats the same text over and over instead of ending.', 1, 1, '1970-01-01T00:00:00.000Z'),
  ('code-leak', 'Code (or code fences) appears where the task did not ask for code.', 1, 2, '1970-01-01T00:00:00.000Z'),
  ('wrong-language', 'The answer is not in the language of the instruction.', 1, 3, '1970-01-01T00:00:00.000Z'),
  ('empty', 'No answer: the output is empty or only whitespace / template residue.', 1, 4, '1970-01-01T00:00:00.000Z'),
  ('truncated', 'The answer stops mid-sentence or mid-list (e.g. ran out of tokens).', 1, 5, '1970-01-01T00:00:00.000Z'),
  ('other', 'Another critical error that makes the answer unusable (say which in the note).', 1, 6, '1970-01-01T00:00:00.000Z');

-- annotations (from 0001) becomes a history: every save adds a row and supersedes the previous one; the
-- current annotation of a generation × annotator is the row with superseded_at NULL. Undo supersedes the
-- current row and makes the previous one current again.
ALTER TABLE annotations ADD COLUMN decisions_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE annotations ADD COLUMN superseded_at TEXT;
-- Rows written before this migration: only the latest of each pair stays current.
UPDATE annotations SET superseded_at = created_at
WHERE id NOT IN (SELECT max(id) FROM annotations GROUP BY generation_id, annotator);
CREATE UNIQUE INDEX annotations_current ON annotations(generation_id, annotator) WHERE superseded_at IS NULL;
CREATE INDEX annotations_annotator ON annotations(annotator, generation_id);

-- One row per change an annotator made, newest last: undo walks it backwards. before_id / after_id are the
-- annotation rows current before and after the change (NULL = no annotation).
CREATE TABLE annotation_events (
  id INTEGER PRIMARY KEY,
  annotator TEXT NOT NULL,
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  before_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
  after_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  undone_at TEXT
);
CREATE INDEX annotation_events_annotator ON annotation_events(annotator, undone_at, id);

-- Who annotates what: overlap items go to every annotator, the others to one each.
CREATE TABLE annotation_assignments (
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  annotator TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (generation_id, annotator)
);
CREATE INDEX annotation_assignments_annotator ON annotation_assignments(annotator);
`;
