import { basename, resolve } from 'node:path';
import type { DatasetPreview } from '../../../shared/datasets';
import { loadDatasetFile, readIdList, type FieldMapping } from '../../core/datasets';
import { sha256File } from '../../core/files/sha256File';
import type { DatasetRecord, DatasetRepo } from '../../store/DatasetRepo';
import { NotFoundError } from '../errors';

export interface DatasetImportOptions {
  lang: string;
  name?: string;
  mapping?: FieldMapping;
  delimiter?: string;
  /** A dataset in another language: items with the same id become parallel items. */
  parallelWith?: string;
}

/** Instruction datasets: preview and import files (all or nothing), find them by id or name, link translations. */
export class DatasetsService {
  constructor(private readonly datasets: DatasetRepo) {}

  async preview(path: string, options: { mapping?: FieldMapping; delimiter?: string }): Promise<DatasetPreview> {
    const { format, items } = await loadDatasetFile(path, options);
    return {
      format,
      itemCount: items.length,
      items: items.slice(0, 20).map((i) => ({ id: i.id, instruction: i.instruction, category: i.category, taskTypes: i.taskTypes })),
    };
  }

  async import(file: string, options: DatasetImportOptions): Promise<DatasetRecord> {
    const { format, items } = await loadDatasetFile(file, { mapping: options.mapping, delimiter: options.delimiter });
    const partner = options.parallelWith ? this.resolve(options.parallelWith) : undefined;
    const group = partner ? (partner.parallelGroup ?? `group-${partner.id}`) : null;
    const dataset = this.datasets.insert(
      {
        name: options.name ?? basename(file).replace(/\.[^.]+$/, ''),
        lang: options.lang,
        sourcePath: resolve(file),
        sourceSha256: await sha256File(file),
        format,
        parallelGroup: group,
      },
      items,
    );
    if (partner && !partner.parallelGroup) this.datasets.link([partner.id], group!);
    return dataset;
  }

  /** A dataset by id or name. */
  resolve(ref: string): DatasetRecord {
    const dataset = /^\d+$/.test(ref) ? this.datasets.get(Number(ref)) : this.datasets.byName(ref);
    if (!dataset) throw new NotFoundError(`No dataset "${ref}" (by id or name). List them with "datasets list".`);
    return dataset;
  }

  list(): DatasetRecord[] {
    return this.datasets.list();
  }

  /** Links datasets as translations of each other (one parallel group: the first existing group, else a new one). */
  link(datasetIds: number[]): DatasetRecord[] {
    const datasets = datasetIds.map((id) => this.resolve(String(id)));
    const group = datasets.find((d) => d.parallelGroup)?.parallelGroup ?? `group-${datasets[0]!.id}`;
    this.datasets.link(datasetIds, group);
    return datasetIds.map((id) => this.datasets.get(id)!);
  }

  facets(datasetId: number): { categories: string[]; taskTypes: string[] } {
    return this.datasets.facets(datasetId);
  }

  /** Item ids from a list file (JSON array, {key: [...]}, one per line; `file#key`). */
  idList(source: string): string[] {
    return readIdList(source);
  }
}
