/**
 * Import of outputs produced outside the workbench, in the Just-Eval output format: rows with
 * `id, instruction, output, generator` plus any other fields (`dataset`, `category`, `task_types`…).
 */
import type { Item } from '../../../shared/domain';
import { buildItems, type FieldMapping } from './buildItems';
import { DatasetError } from './DatasetError';
import { readSourceTable, readText, resolveFormat, type DatasetFormat } from './sourceRows';

export interface ImportedOutput {
  output: string;
  generator: string | null;
  /** Every field of the row except id, instruction, output and generator, verbatim. */
  extra: Record<string, unknown>;
}

export interface GenerationsFileContent {
  items: Item[];
  /** Keyed by item id. */
  outputs: Map<string, ImportedOutput>;
}

export interface ReadGenerationsOptions {
  format?: DatasetFormat;
  /** Source names of id / instruction, as for datasets. The output fields are always `output` and `generator`. */
  mapping?: Omit<FieldMapping, 'metadata'>;
  delimiter?: string;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The output of a row: a string (an empty string is a real, empty answer, not a gap), or a non-empty array
 * of strings as written by sampling scripts that keep n outputs per prompt (URIAL's vLLM script), of which
 * the first is used.
 */
function outputOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value[0] as string;
  return null;
}

/** All-or-nothing like `readDatasetFile`; when the file has no id field, ids are the 0-based row index. */
export function readGenerationsFile(path: string, options: ReadGenerationsOptions = {}): GenerationsFileContent {
  const { format, delimiter } = resolveFormat(path, options);
  if (format === 'parquet') {
    throw new DatasetError({ file: path, problem: 'outputs are read from JSONL, JSON or CSV files', fix: 'Export the outputs as JSONL (one object per line).' });
  }
  const table = readSourceTable(path, readText(path), format, delimiter);
  const rows = buildItems(path, table, {
    mapping: options.mapping,
    reserved: ['output', 'generator'],
    checkRow: (record, row) => {
      const at = { file: path, line: row.line };
      if (record.output === undefined || record.output === null) {
        throw new DatasetError({
          ...at,
          field: 'output',
          problem: 'field "output" is missing',
          fix: 'Every row of a generations file needs the model output (an empty string is allowed). Add it or remove the row.',
        });
      }
      if (outputOf(record.output) === null) {
        throw new DatasetError({
          ...at,
          field: 'output',
          problem: `field "output" must be a string, got ${typeName(record.output)}`,
          fix: 'Write the output as text.',
        });
      }
      const generator = record.generator;
      if (generator !== undefined && generator !== null && typeof generator !== 'string') {
        throw new DatasetError({
          ...at,
          field: 'generator',
          problem: `field "generator" must be a string, got ${typeName(generator)}`,
          fix: 'Write the generator (model name) as text, or remove the field.',
        });
      }
    },
  });

  const idField = options.mapping?.id ?? 'id';
  const instructionField = options.mapping?.instruction ?? 'instruction';
  const skip = new Set([idField, instructionField, 'output', 'generator']);
  const outputs = new Map<string, ImportedOutput>();
  for (const { item, record } of rows) {
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (!skip.has(k)) extra[k] = v;
    const generator = record.generator;
    outputs.set(item.id, {
      output: outputOf(record.output) as string,
      generator: typeof generator === 'string' && generator !== '' ? generator : null,
      extra,
    });
  }
  return { items: rows.map((r) => r.item), outputs };
}
