import { basename, resolve } from 'node:path';
import { readGenerationsFile } from '../../core/datasets';
import { sha256File } from '../../core/files/sha256File';
import type { Store } from '../../store/openStore';
import type { RunRecord } from '../../store/RunRepo';
import type { DetectionService } from '../detection/DetectionService';
import { processEnvironment } from '../environment';
import { exportRows, type ExportRow, type ExportStore } from './exportRows';
import { formatExport } from './formatExport';

/** Generations made elsewhere (imported) and exported with how each was made. */
export class GenerationsService {
  constructor(
    private readonly store: ExportStore & Pick<Store, 'transaction'>,
    private readonly detection: DetectionService,
  ) {}

  /** Outputs made elsewhere (Just-Eval output format) become a dataset plus an imported run, together or not at all. */
  async import(file: string, options: { lang: string; name?: string }): Promise<RunRecord> {
    const { items, outputs } = readGenerationsFile(file);
    const name = options.name ?? basename(file).replace(/\.[^.]+$/, '');
    const sha = await sha256File(file);
    const { datasets, runs, generations } = this.store;
    const run = this.store.transaction(() => {
      const dataset = datasets.insert(
        { name: `${name} (instructions)`, lang: options.lang, sourcePath: resolve(file), sourceSha256: sha, format: 'generations' },
        items,
      );
      const generators = [...new Set([...outputs.values()].map((o) => o.generator ?? 'unknown'))];
      const run = runs.insert({
        name,
        kind: 'imported',
        modelId: null,
        datasetId: dataset.id,
        config: null,
        method: { method: 'imported', source: resolve(file), sourceSha256: sha, generators: generators.join(', ') },
        environment: processEnvironment(),
        status: 'done',
        itemIds: items.map((i) => i.id),
      });
      generations.insertMany(
        items.map((item) => {
          const out = outputs.get(item.id)!;
          const prompt = typeof out.extra.model_input === 'string' ? out.extra.model_input : '';
          return {
            runId: run.id,
            itemId: item.id,
            prompt,
            outputRaw: out.output,
            output: out.output,
            finishReason: 'stop' as const,
            error: null,
            promptTokens: 0,
            evaluatedPromptTokens: 0,
            outputTokens: 0,
            wallMs: 0,
            tokensPerSecond: 0,
            seed: 0,
            generator: out.generator,
            extra: out.extra,
          };
        }),
      );
      return runs.get(run.id)!;
    });
    // Outputs made elsewhere get the same critical-error flags as our own.
    await this.detection.detectRun(run.id);
    return run;
  }

  rows(runId: number): ExportRow[] {
    return exportRows(this.store, runId);
  }

  export(runId: number, format: 'jsonl' | 'csv'): string {
    return formatExport(this.rows(runId), format);
  }
}
