import type Database from 'better-sqlite3';
import type { Dataset, Item, Lang } from '../../shared/domain';
import { nowIso } from './time';

export interface NewDataset {
  name: string;
  lang: Lang;
  sourcePath: string;
  sourceSha256: string;
  format: string;
  parallelGroup?: string | null;
}

interface DatasetRow {
  id: number;
  name: string;
  lang: string;
  source_path: string;
  source_sha256: string;
  format: string;
  item_count: number;
  parallel_group: string | null;
  created_at: string;
}

interface ItemRow {
  item_id: string;
  instruction: string;
  source_id: string | null;
  source_dataset: string | null;
  category: string | null;
  task_types_json: string | null;
  topics_json: string | null;
  difficulty: string | null;
  metadata_json: string;
}

export type DatasetRecord = Dataset & { format: string; parallelGroup: string | null };

export class DatasetRepo {
  constructor(private readonly db: Database.Database) {}

  /** Inserts the dataset and all its items in one transaction: an error leaves nothing behind. */
  insert(dataset: NewDataset, items: Item[]): DatasetRecord {
    const insertItem = this.db.prepare(
      `INSERT INTO items (dataset_id, item_id, position, instruction, source_id, source_dataset, category,
         task_types_json, topics_json, difficulty, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db.transaction(() => {
      if (this.byName(dataset.name)) {
        throw new Error(`A dataset named "${dataset.name}" already exists. Choose another name with --name.`);
      }
      const { id } = this.db
        .prepare<unknown[], { id: number }>(
          `INSERT INTO datasets (name, lang, source_path, source_sha256, format, item_count, parallel_group, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(
          dataset.name,
          dataset.lang,
          dataset.sourcePath,
          dataset.sourceSha256,
          dataset.format,
          items.length,
          dataset.parallelGroup ?? null,
          nowIso(),
        )!;
      items.forEach((item, position) =>
        insertItem.run(
          id,
          item.id,
          position,
          item.instruction,
          item.sourceId ?? null,
          item.dataset ?? null,
          item.category ?? null,
          item.taskTypes ? JSON.stringify(item.taskTypes) : null,
          item.topics ? JSON.stringify(item.topics) : null,
          item.difficulty ?? null,
          JSON.stringify(item.metadata),
        ),
      );
      return this.get(id)!;
    })();
  }

  get(id: number): DatasetRecord | undefined {
    const row = this.db.prepare<[number], DatasetRow>('SELECT * FROM datasets WHERE id = ?').get(id);
    return row && toDataset(row);
  }

  byName(name: string): DatasetRecord | undefined {
    const row = this.db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE name = ?').get(name);
    return row && toDataset(row);
  }

  list(): DatasetRecord[] {
    return this.db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY id').all().map(toDataset);
  }

  /** Items in dataset order, optionally only `ids` (kept in dataset order). */
  items(datasetId: number, ids?: readonly string[]): Item[] {
    const rows = this.db
      .prepare<[number], ItemRow>('SELECT * FROM items WHERE dataset_id = ? ORDER BY position')
      .all(datasetId);
    const wanted = ids && new Set(ids);
    return rows.filter((r) => !wanted || wanted.has(r.item_id)).map(toItem);
  }

  /** The items a run covers, in the run's order, straight from its frozen item list. */
  itemsOfRun(runId: number): Item[] {
    return this.db
      .prepare<[number], ItemRow>(
        `SELECT i.* FROM run_items ri JOIN runs r ON r.id = ri.run_id
         JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = ri.item_id
         WHERE ri.run_id = ? ORDER BY ri.position`,
      )
      .all(runId)
      .map(toItem);
  }

  /** Puts the datasets in one parallel group: their items sharing an id are translations of each other. */
  link(datasetIds: number[], group: string): void {
    const stmt = this.db.prepare('UPDATE datasets SET parallel_group = ? WHERE id = ?');
    this.db.transaction(() => datasetIds.forEach((id) => stmt.run(group, id)))();
  }

  /** The same item in every dataset of `datasetId`'s parallel group (including itself), keyed by language. */
  parallelItems(datasetId: number, itemId: string): { dataset: DatasetRecord; item: Item }[] {
    const ds = this.get(datasetId);
    if (!ds) return [];
    const members = ds.parallelGroup
      ? this.db
          .prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE parallel_group = ? ORDER BY lang, id')
          .all(ds.parallelGroup)
          .map(toDataset)
      : [ds];
    return members.flatMap((dataset) => {
      const row = this.db
        .prepare<[number, string], ItemRow>('SELECT * FROM items WHERE dataset_id = ? AND item_id = ?')
        .get(dataset.id, itemId);
      return row ? [{ dataset, item: toItem(row) }] : [];
    });
  }

  /** The categories and task types a dataset's items use (the composer's subset choices). */
  facets(datasetId: number): { categories: string[]; taskTypes: string[] } {
    const rows = this.db
      .prepare<[number], { category: string | null; task_types_json: string | null }>('SELECT DISTINCT category, task_types_json FROM items WHERE dataset_id = ?')
      .all(datasetId);
    const categories = new Set<string>();
    const taskTypes = new Set<string>();
    for (const r of rows) {
      if (r.category) categories.add(r.category);
      for (const t of r.task_types_json ? (JSON.parse(r.task_types_json) as string[]) : []) taskTypes.add(t);
    }
    return { categories: [...categories].sort(), taskTypes: [...taskTypes].sort() };
  }
}

function toDataset(r: DatasetRow): DatasetRecord {
  return {
    id: r.id,
    name: r.name,
    lang: r.lang,
    sourcePath: r.source_path,
    sourceSha256: r.source_sha256,
    format: r.format,
    itemCount: r.item_count,
    parallelGroup: r.parallel_group,
    createdAt: r.created_at,
  };
}

function toItem(r: ItemRow): Item {
  const item: Item = {
    id: r.item_id,
    instruction: r.instruction,
    metadata: JSON.parse(r.metadata_json) as Record<string, unknown>,
  };
  if (r.source_id != null) item.sourceId = r.source_id;
  if (r.source_dataset != null) item.dataset = r.source_dataset;
  if (r.category != null) item.category = r.category;
  if (r.task_types_json != null) item.taskTypes = JSON.parse(r.task_types_json) as string[];
  if (r.topics_json != null) item.topics = JSON.parse(r.topics_json) as string[];
  if (r.difficulty != null) item.difficulty = r.difficulty;
  return item;
}
