// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// Why a score is missing, and the original Just-Eval judge's rubrics.
//
// judgements.na_kind (NULL when scored): 'judge' = the judge's own "N/A", the only kind the "N/A counted as 5"
// policy substitutes (as just-eval's report()); 'unreadable' = a reply came but gave no score; 'no-reply' = the
// call got none. Existing N/A rows: a call with an error and no raw text got no reply ('no-reply', the same rule
// as JudgementRepo's `unanswered`); every other N/A row is 'unreadable', because our rubric's parser had no
// judge N/A (the grammar allows only 1–5 and a remote "N/A" was reported as "not a number from 1 to 5").
//
// rubrics.prompt_source: 'stored' for every existing rubric; the two original Just-Eval rubrics are
// 'just-eval-official': their text is read from the official template files at call time, never stored
// (prompts_json is '{}'). Their rows are fixed here, like a built-in's, so judge-file imports can refer to them.
export default /* sql */ `
ALTER TABLE judgements ADD COLUMN na_kind TEXT CHECK (na_kind IS NULL OR na_kind IN ('judge', 'unreadable', 'no-reply'));
UPDATE judgements SET na_kind = CASE
    WHEN EXISTS (SELECT 1 FROM judge_calls c WHERE c.id = judgements.call_id AND c.error IS NOT NULL AND coalesce(c.raw, '') = '') THEN 'no-reply'
    ELSE 'unreadable' END
  WHERE score IS NULL;

-- The Results index gains na_kind, so "as-5" (which reads it) still never visits the table.
DROP INDEX judgements_results;
CREATE INDEX judgements_results ON judgements(generation_id, aspect, judge, rubric_version, judge_lang, score, na_kind);

ALTER TABLE rubrics ADD COLUMN prompt_source TEXT NOT NULL DEFAULT 'stored' CHECK (prompt_source IN ('stored', 'just-eval-official'));
INSERT INTO rubrics (version, name, kind, aspects_json, prompts_json, builtin, parent, created_at, prompt_source) VALUES
  ('just-eval-original-multi@1', 'Just-Eval original (multi-aspect)', 'aspects', '["helpfulness","clarity","factuality","depth","engagement"]', '{}', 1, NULL, '2026-12-05T00:00:00.000Z', 'just-eval-official'),
  ('just-eval-original-safety@1', 'Just-Eval original (safety)', 'safety', '["safety"]', '{}', 1, NULL, '2026-12-05T00:00:00.000Z', 'just-eval-official');
`;
