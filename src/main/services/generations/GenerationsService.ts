import { basename, resolve } from 'node:path';
import type { GenerationsExportFormat } from '../../../shared/generations';
import type { Item, MethodName } from '../../../shared/domain';
import { methodLabel } from '../../../shared/methodLabel';
import { readGenerationsFile } from '../../core/datasets';
import { joinOutputsToDataset } from '../../core/datasets/joinOutputsToDataset';
import type { GenerationsFileContent } from '../../core/datasets/readGenerationsFile';
import { toJustEvalOutputs } from '../../core/datasets/toJustEvalOutputs';
import { pythonJsonDump } from '../../core/judge/justEval/pythonJsonDump';
import type { DatasetRecord } from '../../store/DatasetRepo';
import { importedGeneration } from '../../store/GenerationRepo';
import { sha256File } from '../../core/files/sha256File';
import type { Store } from '../../store/openStore';
import type { RunRecord } from '../../store/RunRepo';
import type { DatasetsService } from '../datasets/DatasetsService';
import type { DetectionService } from '../detection/DetectionService';
import { processEnvironment } from '../environment';
import { InputError, NotFoundError } from '../errors';
import { exportRows, type ExportRow, type ExportStore } from './exportRows';
import { formatExport } from './formatExport';

/** Generations made elsewhere (imported) and exported with how each was made. */
export class GenerationsService {
  constructor(
    private readonly store: ExportStore & Pick<Store, 'transaction'>,
    private readonly detection: DetectionService,
    private readonly datasets: Pick<DatasetsService, 'resolve'>,
  ) {}

  /**
   * Outputs made elsewhere (Just-Eval output format) become an imported run, together or not at all: of a new
   * dataset of the file's instructions, or, with `dataset` (name or id), of that dataset's items joined by id, so
   * category, task types and difficulty are known (an unknown id or another instruction is refused, naming the item).
   */
  async import(file: string, options: { lang: string; name?: string; dataset?: string }): Promise<RunRecord> {
    const content = readGenerationsFile(file);
    const { outputs } = content;
    const name = options.name ?? basename(file).replace(/\.[^.]+$/, '');
    const sha = await sha256File(file);
    const { datasets, runs, generations } = this.store;
    const joined = options.dataset === undefined ? undefined : this.#joined(file, content, options.dataset, options.lang);
    const run = this.store.transaction(() => {
      const dataset =
        joined?.dataset ??
        datasets.insert({ name: `${name} (instructions)`, lang: options.lang, sourcePath: resolve(file), sourceSha256: sha, format: 'generations' }, content.items);
      const items = joined?.items ?? content.items;
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
          return importedGeneration(run.id, item.id, out, typeof out.extra.model_input === 'string' ? out.extra.model_input : '');
        }),
      );
      return runs.get(run.id)!;
    });
    // Outputs made elsewhere get the same critical-error flags as our own.
    await this.detection.detectRun(run.id);
    return run;
  }

  /** The dataset the outputs answer and its items in the file's order; its language must be the import's. */
  #joined(file: string, content: GenerationsFileContent, ref: string, lang: string): { dataset: DatasetRecord; items: Item[] } {
    const dataset = this.datasets.resolve(ref);
    if (dataset.lang !== lang)
      throw new InputError(`Dataset "${dataset.name}" is in ${dataset.lang}, not ${lang}: give --lang ${dataset.lang}, or the dataset in ${lang} these outputs answer.`);
    return { dataset, items: joinOutputsToDataset(file, content, { name: dataset.name, items: this.store.datasets.items(dataset.id) }) };
  }

  rows(runId: number): ExportRow[] {
    return exportRows(this.store, runId);
  }

  export(runId: number, format: GenerationsExportFormat): string {
    if (format === 'just-eval') return this.#toEval(runId);
    return formatExport(this.rows(runId), format);
  }

  /**
   * just-eval's to_eval.json (what its evaluate.py scores): imported outputs as they came (their generator and
   * extra fields), ours named "<model> · <method>".
   */
  #toEval(runId: number): string {
    const run = this.store.runs.get(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    const dataset = this.store.datasets.get(run.datasetId)!;
    const model = run.modelId != null ? this.store.models.get(run.modelId) : undefined;
    const method = run.method.method && run.method.method !== 'imported' ? methodLabel(run.method.method as MethodName, run.config?.method.promptLang, dataset.lang) : null;
    const generator = model ? [model.name, method].filter(Boolean).join(' · ') : run.name;
    const outputs = this.store.generations.forRun(runId).map((g) => ({ itemId: g.itemId, output: g.output, generator: g.generator ?? null, extra: g.extra }));
    return pythonJsonDump(toJustEvalOutputs(outputs, this.store.datasets.items(run.datasetId), generator));
  }
}
