// Released migration: never edit. Add a new numbered file instead (see ../README.md).
// Results at study size (issue 14 item 10): per generation × judge × rubric version × judge language × aspect,
// the sums over its judge repeats, maintained by triggers on judgements (every writer, import and cascade delete
// included), so Results reads one row per generation and aspect instead of grouping every repeat.
// k = repeats, scored = repeats with a score, sx/sxx = Σ and Σ² of those scores, na_* = N/A repeats by kind
// (migration 0009). The "N/A counted as 5" policy is applied at read time from na_judge. run_id and generator
// are copied from the (immutable) generation, so an unfiltered Results query never visits generations.
// Failed generations (finish reason "error") are never in Results, so their judgements get no row.
/** Adds the NEW judgement row to its generation × judge × rubric × language × aspect sums (not for failed generations). */
const ADD_NEW = /* sql */ `
  INSERT INTO judgement_means (generation_id, run_id, generator, judge, rubric_version, judge_lang, aspect, k, scored, sx, sxx, na_judge, na_unreadable, na_no_reply)
  SELECT g.id, g.run_id, g.generator, NEW.judge, NEW.rubric_version, NEW.judge_lang, NEW.aspect, 1, NEW.score IS NOT NULL,
    coalesce(NEW.score, 0), coalesce(NEW.score * NEW.score, 0), NEW.na_kind IS 'judge', NEW.na_kind IS 'unreadable', NEW.na_kind IS 'no-reply'
  FROM generations g WHERE g.id = NEW.generation_id AND g.finish_reason <> 'error'
  ON CONFLICT (generation_id, judge, rubric_version, judge_lang, aspect) DO UPDATE SET
    k = k + 1, scored = scored + excluded.scored, sx = sx + excluded.sx, sxx = sxx + excluded.sxx,
    na_judge = na_judge + excluded.na_judge, na_unreadable = na_unreadable + excluded.na_unreadable, na_no_reply = na_no_reply + excluded.na_no_reply;`;

/** Takes the OLD judgement row out of its sums, and the sums row out when no repeat is left. */
const REMOVE_OLD = /* sql */ `
  UPDATE judgement_means SET k = k - 1, scored = scored - (OLD.score IS NOT NULL), sx = sx - coalesce(OLD.score, 0),
    sxx = sxx - coalesce(OLD.score * OLD.score, 0), na_judge = na_judge - (OLD.na_kind IS 'judge'),
    na_unreadable = na_unreadable - (OLD.na_kind IS 'unreadable'), na_no_reply = na_no_reply - (OLD.na_kind IS 'no-reply')
  WHERE generation_id = OLD.generation_id AND judge = OLD.judge AND rubric_version = OLD.rubric_version AND judge_lang = OLD.judge_lang AND aspect = OLD.aspect;
  DELETE FROM judgement_means
  WHERE generation_id = OLD.generation_id AND judge = OLD.judge AND rubric_version = OLD.rubric_version AND judge_lang = OLD.judge_lang AND aspect = OLD.aspect AND k = 0;`;

/** The sums row's columns that make its score level, and its counts, for run_score_levels. */
const LEVEL_KEY = 'run_id, generator, judge, rubric_version, judge_lang, aspect, scored, sx, na_judge';
/** The WHERE that finds a row's level through run_score_levels_key (generator compared as the index has it). */
const levelMatch = (row: 'NEW' | 'OLD') =>
  LEVEL_KEY.split(', ').map((c) => (c === 'generator' ? `coalesce(generator, '') = coalesce(${row}.generator, '')` : `${c} = ${row}.${c}`)).join(' AND ');

/** Counts the NEW judgement_means row in its run's score level. */
const LEVEL_ADD = /* sql */ `
  INSERT INTO run_score_levels (${LEVEL_KEY}, generations, sum_sxx, na_unreadable, na_no_reply)
  VALUES (${LEVEL_KEY.split(', ').map((c) => `NEW.${c}`).join(', ')}, 1, NEW.sxx, NEW.na_unreadable, NEW.na_no_reply)
  ON CONFLICT DO UPDATE SET generations = generations + 1, sum_sxx = sum_sxx + excluded.sum_sxx,
    na_unreadable = na_unreadable + excluded.na_unreadable, na_no_reply = na_no_reply + excluded.na_no_reply;`;

/** Takes the OLD judgement_means row out of its run's score level. */
const LEVEL_REMOVE = /* sql */ `
  UPDATE run_score_levels SET generations = generations - 1, sum_sxx = sum_sxx - OLD.sxx,
    na_unreadable = na_unreadable - OLD.na_unreadable, na_no_reply = na_no_reply - OLD.na_no_reply
  WHERE ${levelMatch('OLD')};
  DELETE FROM run_score_levels WHERE ${levelMatch('OLD')} AND generations = 0;`;

export default /* sql */ `
CREATE TABLE judgement_means (
  generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL,
  generator TEXT,
  judge TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  judge_lang TEXT NOT NULL,
  aspect TEXT NOT NULL,
  k INTEGER NOT NULL,
  scored INTEGER NOT NULL,
  sx INTEGER NOT NULL,
  sxx INTEGER NOT NULL,
  na_judge INTEGER NOT NULL,
  na_unreadable INTEGER NOT NULL,
  na_no_reply INTEGER NOT NULL,
  PRIMARY KEY (generation_id, judge, rubric_version, judge_lang, aspect)
) WITHOUT ROWID;
-- The unfiltered Results query groups in this order straight from the index (no sort, never the table).
CREATE INDEX judgement_means_levels ON judgement_means(run_id, generator, judge, rubric_version, judge_lang, aspect, scored, sx, na_judge, sxx, na_unreadable, na_no_reply);

CREATE TRIGGER judgement_means_insert AFTER INSERT ON judgements BEGIN ${ADD_NEW}
END;
CREATE TRIGGER judgement_means_delete AFTER DELETE ON judgements BEGIN ${REMOVE_OLD}
END;
-- A changed score or N/A kind (no writer does it today; the sums must never drift if one does).
CREATE TRIGGER judgement_means_update AFTER UPDATE OF generation_id, judge, rubric_version, judge_lang, aspect, score, na_kind ON judgements BEGIN ${REMOVE_OLD} ${ADD_NEW}
END;

-- Per run, the generations of each score level (the sums that make a per-generation score under either N/A
-- policy: scored, sx, na_judge), with Σ sxx for the judge variance and the N/A counts: what Results over a whole
-- study reads, a few thousand rows instead of one per generation. Maintained from judgement_means by triggers
-- (an upsert's DO UPDATE fires the update one). generator is part of the key: imported runs name the model there.
CREATE TABLE run_score_levels (
  run_id INTEGER NOT NULL,
  generator TEXT,
  judge TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  judge_lang TEXT NOT NULL,
  aspect TEXT NOT NULL,
  scored INTEGER NOT NULL,
  sx INTEGER NOT NULL,
  na_judge INTEGER NOT NULL,
  generations INTEGER NOT NULL,
  sum_sxx INTEGER NOT NULL,
  na_unreadable INTEGER NOT NULL,
  na_no_reply INTEGER NOT NULL
);
-- generator may be NULL, which a PRIMARY KEY would not treat as equal: a unique index on coalesce() instead.
CREATE UNIQUE INDEX run_score_levels_key ON run_score_levels(run_id, coalesce(generator, ''), judge, rubric_version, judge_lang, aspect, scored, sx, na_judge);

CREATE TRIGGER run_score_levels_insert AFTER INSERT ON judgement_means BEGIN ${LEVEL_ADD}
END;
CREATE TRIGGER run_score_levels_delete AFTER DELETE ON judgement_means BEGIN ${LEVEL_REMOVE}
END;
CREATE TRIGGER run_score_levels_update AFTER UPDATE ON judgement_means BEGIN ${LEVEL_REMOVE} ${LEVEL_ADD}
END;

-- Backfill: the same sums over the existing judgements (the triggers above fill run_score_levels as it goes).
INSERT INTO judgement_means (generation_id, run_id, generator, judge, rubric_version, judge_lang, aspect, k, scored, sx, sxx, na_judge, na_unreadable, na_no_reply)
SELECT g.id, g.run_id, g.generator, j.judge, j.rubric_version, j.judge_lang, j.aspect, count(*), count(j.score), coalesce(sum(j.score), 0),
  coalesce(sum(j.score * j.score), 0), count(CASE WHEN j.na_kind = 'judge' THEN 1 END), count(CASE WHEN j.na_kind = 'unreadable' THEN 1 END),
  count(CASE WHEN j.na_kind = 'no-reply' THEN 1 END)
FROM judgements j JOIN generations g ON g.id = j.generation_id
WHERE g.finish_reason <> 'error'
GROUP BY j.generation_id, j.judge, j.rubric_version, j.judge_lang, j.aspect;
`;
