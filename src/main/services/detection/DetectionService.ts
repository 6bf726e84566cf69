import { DETECTORS } from '../../core/detectors';
import type { Store } from '../../store/openStore';
import { NotFoundError } from '../errors';

/** The repositories detection reads and writes. */
export type DetectionStore = Pick<Store, 'reader' | 'runs' | 'generations' | 'detections'>;

/** Critical-error detection: every registered detector on generations, signals and findings stored with their versions. */
export class DetectionService {
  constructor(private readonly store: DetectionStore) {}

  /** Runs every detector on these generations and stores signals and findings; returns the findings count. */
  async detectGenerations(generationIds: readonly number[]): Promise<number> {
    let findings = 0;
    for (const id of generationIds) {
      const g = this.store.reader.get(id);
      if (!g) throw new NotFoundError(`No generation with id ${id}.`);
      const maxTokens = this.store.runs.get(g.runId)?.config?.sampler.maxTokens ?? null;
      const input = {
        outputRaw: g.outputRaw,
        output: g.output,
        finishReason: g.finishReason,
        outputTokens: g.outputTokens,
        maxTokens,
        expectedLang: g.lang,
        instruction: g.instruction,
        taskTypes: g.taskTypes,
      };
      const results = [];
      for (const detector of DETECTORS) {
        const settings = { ...detector.defaultSettings };
        results.push({ result: await detector.detect(input, settings), settings });
      }
      this.store.detections.save(id, results);
      findings += results.reduce((n, r) => n + r.result.findings.length, 0);
    }
    return findings;
  }

  /** Detects on a run's generations: those without results from the current detector versions, or all. */
  async detectRun(runId: number, { all = false } = {}): Promise<{ generations: number; findings: number }> {
    if (!this.store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    const ids = all
      ? this.store.generations.forRun(runId).map((g) => g.id)
      : this.store.detections.missing(runId, DETECTORS.map((d) => ({ name: d.name, version: d.version })));
    return { generations: ids.length, findings: await this.detectGenerations(ids) };
  }

  /** The current findings of a run's generations, counted per label. */
  findingsByLabel(runId: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const g of this.store.generations.forRun(runId))
      for (const d of this.store.detections.forGeneration(g.id)) for (const f of d.findings) counts[f.label] = (counts[f.label] ?? 0) + 1;
    return counts;
  }
}
