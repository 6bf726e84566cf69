import type { ExportedJudgeCall } from '../../../shared/judgeCallExport';

/**
 * `judgements export --format jsonl`: one line per judge call, everything needed to audit or redo it: what was
 * judged, by which judge, rubric version and prompt language, the exact messages, the raw reply as received, the
 * settings, and each aspect's score with why it is missing (na_kind: judge / unreadable / no-reply).
 */
export function judgeCallJsonl(calls: readonly ExportedJudgeCall[]): string {
  return calls
    .map((c) =>
      JSON.stringify({
        item_id: c.itemId,
        generation_id: c.generationId,
        instruction: c.instruction,
        output: c.output,
        generator: c.generator,
        judge: c.judge,
        rubric_version: c.rubricVersion,
        judge_lang: c.judgeLang,
        repeat: c.repeat,
        system: c.prompt.system,
        prompt: c.prompt.user,
        raw: c.raw,
        error: c.error,
        seed: c.seed,
        temperature: c.temperature,
        attempts: c.attempts,
        wall_ms: c.wallMs,
        environment: c.environment,
        created_at: c.createdAt,
        scores: c.scores.map((s) => ({ aspect: s.aspect, score: s.score, reason: s.rationale, na_kind: s.naKind })),
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}
