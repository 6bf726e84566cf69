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

-- Backfill: the same sums over the existing judgements.
INSERT INTO judgement_means (generation_id, run_id, generator, judge, rubric_version, judge_lang, aspect, k, scored, sx, sxx, na_judge, na_unreadable, na_no_reply)
SELECT g.id, g.run_id, g.generator, j.judge, j.rubric_version, j.judge_lang, j.aspect, count(*), count(j.score), coalesce(sum(j.score), 0),
  coalesce(sum(j.score * j.score), 0), count(CASE WHEN j.na_kind = 'judge' THEN 1 END), count(CASE WHEN j.na_kind = 'unreadable' THEN 1 END),
  count(CASE WHEN j.na_kind = 'no-reply' THEN 1 END)
FROM judgements j JOIN generations g ON g.id = j.generation_id
WHERE g.finish_reason <> 'error'
GROUP BY j.generation_id, j.judge, j.rubric_version, j.judge_lang, j.aspect;
`;
