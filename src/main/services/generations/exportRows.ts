import type { Finding } from '../../../shared/detection';
import type { ExportedJudgement } from '../../store/JudgementRepo';
import type { Store } from '../../store/openStore';
import { NotFoundError } from '../errors';
import { runMethodLabel } from '../runs/runMethodLabel';

/**
 * One exported generation. Field names are a contract with outside scripts (issue: "generations export"):
 * add fields, never rename or remove them.
 */
/** The repositories an export reads. */
export type ExportStore = Pick<Store, 'runs' | 'datasets' | 'models' | 'generations' | 'detections' | 'annotations' | 'judgements'>;

export interface ExportRow {
  run_id: number;
  item_id: string;
  lang: string;
  dataset: string;
  instruction: string;
  category: string | null;
  task_types: string[] | null;
  method: string;
  /** The method as labelled everywhere: "URIAL (en prompt)" when the prompt's language is not the items'. */
  method_label: string;
  prompt_lang: string | null;
  prompt_file: string | null;
  prompt_sha256: string | null;
  model: string | null;
  model_sha256: string | null;
  generator: string | null;
  prompt: string;
  output_raw: string;
  output: string;
  finish_reason: string;
  error: string | null;
  prompt_tokens: number;
  evaluated_prompt_tokens: number;
  output_tokens: number;
  wall_ms: number;
  tokens_per_second: number;
  seed: number;
  sampler: Record<string, unknown> | null;
  environment: Record<string, string>;
  /** Critical-error detector findings (contract: label, detector, version, score, evidence). */
  findings: { label: string; detector: string; version: string; score: number; evidence: Finding['evidence'] }[];
  /** The current annotation of each annotator (history and undone states are not exported). */
  annotations: { annotator: string; labels: string[]; note: string | null; decisions: Record<string, string>; created_at: string }[];
  /** LLM judge scores, one per aspect × judge call (contract: aspect, score, rationale, judge, rubric_version, repeat); score null = N/A. */
  judgements: ExportedJudgement[];
  extra: Record<string, unknown>;
}

export function exportRows(store: ExportStore, runId: number): ExportRow[] {
  const run = store.runs.get(runId);
  if (!run) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
  const dataset = store.datasets.get(run.datasetId)!;
  const model = run.modelId != null ? store.models.get(run.modelId) : undefined;
  const items = new Map(store.datasets.items(run.datasetId).map((i) => [i.id, i]));
  return store.generations.forRun(runId).map((g) => {
    const item = items.get(g.itemId);
    return {
      run_id: run.id,
      item_id: g.itemId,
      lang: dataset.lang,
      dataset: dataset.name,
      instruction: item?.instruction ?? '',
      category: item?.category ?? null,
      task_types: item?.taskTypes ?? null,
      method: run.method.method ?? 'unknown',
      method_label: runMethodLabel(run, dataset.lang),
      prompt_lang: run.config?.method.promptLang ?? null,
      prompt_file: run.method.promptFile ?? null,
      prompt_sha256: run.method.promptSha256 ?? null,
      model: model?.name ?? null,
      model_sha256: model?.sha256 ?? null,
      generator: g.generator ?? model?.name ?? null,
      prompt: g.prompt,
      output_raw: g.outputRaw,
      output: g.output,
      finish_reason: g.finishReason,
      error: g.error,
      prompt_tokens: g.promptTokens,
      evaluated_prompt_tokens: g.evaluatedPromptTokens,
      output_tokens: g.outputTokens,
      wall_ms: g.wallMs,
      tokens_per_second: g.tokensPerSecond,
      seed: g.seed,
      sampler: run.config ? { ...run.config.sampler, seed: g.seed } : null,
      environment: run.environment,
      findings: store.detections.forGeneration(g.id).flatMap((d) =>
        d.findings.map((f) => ({ label: f.label, detector: f.detector, version: f.version, score: f.score, evidence: f.evidence })),
      ),
      annotations: store.annotations.currentOf(g.id).map((a) => ({
        annotator: a.annotator,
        labels: JSON.parse(a.labels_json) as string[],
        note: a.note,
        decisions: JSON.parse(a.decisions_json) as Record<string, string>,
        created_at: a.created_at,
      })),
      judgements: store.judgements.exportedFor(g.id),
      extra: g.extra,
    };
  });
}
