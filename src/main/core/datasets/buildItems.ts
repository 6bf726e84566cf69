/**
 * Row layer: checks the rows of any format and turns them into `Item`s. All checks live here so that
 * JSONL, JSON and CSV files fail with the same messages.
 */
import { z } from 'zod';
import type { Item } from '../../../shared/domain';
import { DatasetError } from './DatasetError';
import type { SourceRow, SourceTable } from './sourceRows';

/**
 * Names of the source fields to read. Defaults: id ← `id`, instruction ← `instruction`.
 * When the file has no id field at all (and `id` is not mapped), ids are the 0-based row index as strings.
 * `metadata`, when given, restricts which other fields are kept in `Item.metadata` (default: all of them).
 */
export interface FieldMapping {
  id?: string;
  instruction?: string;
  metadata?: string[];
}

/** Just-Eval-Instruct fields read into typed `Item` properties rather than `metadata`. */
export const NATIVE_FIELDS = ['source_id', 'dataset', 'category', 'task_types', 'topics', 'difficulty'] as const;

export interface BuiltRow {
  item: Item;
  /** The source row as parsed (CSV: all values are strings). */
  record: Record<string, unknown>;
  line: number;
  index: number;
}

export interface BuildOptions {
  mapping?: FieldMapping;
  /** Fields a caller consumes itself (e.g. `output`): never copied into `Item.metadata`. */
  reserved?: readonly string[];
  /** Extra per-row check, run before the item checks so problems are reported in row order. */
  checkRow?: (record: Record<string, unknown>, row: SourceRow) => void;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function listFields(fields: Iterable<string>): string {
  const all = [...fields];
  return all.length === 0 ? '(none)' : all.map((f) => `"${f}"`).join(', ');
}

// Scalar fields may come as numbers (e.g. a numeric source_id); other types are a mistake in the file.
const scalar = z.union([z.string(), z.number().refine(Number.isFinite)]).transform(String);
const stringList = z.array(scalar);

/**
 * `task_types` / `topics`: a JSON array, or (CSV, hand-written files) a string holding a JSON array or
 * values separated by `;` or `|`.
 */
function parseStringList(value: unknown): string[] | null {
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return [];
    if (s.startsWith('[')) {
      try {
        const parsed = stringList.safeParse(JSON.parse(s));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    }
    return s
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
  }
  const parsed = stringList.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function buildItems(file: string, table: SourceTable, options: BuildOptions = {}): BuiltRow[] {
  const { mapping = {}, reserved = [] } = options;
  const headerLine = table.columns ? 1 : null;

  // Rows must be objects before their fields can be listed or checked.
  for (const row of table.rows) {
    if (typeof row.value !== 'object' || row.value === null || Array.isArray(row.value)) {
      throw new DatasetError({
        file,
        line: row.line,
        problem: `the row is ${typeName(row.value)}, not an object`,
        fix: 'Every row must be a JSON object like {"id": …, "instruction": …}. Fix the row or remove it.',
      });
    }
  }
  const records = table.rows.map((r) => r.value as Record<string, unknown>);

  const available = new Set<string>(table.columns ?? []);
  if (!table.columns) for (const rec of records) for (const k of Object.keys(rec)) available.add(k);

  const unknownField = (role: string, name: string, explicit: boolean): DatasetError =>
    new DatasetError({
      file,
      line: headerLine,
      field: name,
      problem: explicit
        ? `the mapping names ${role} field "${name}", but the file has no such ${table.columns ? 'column' : 'field'}`
        : `no row has a field "${name}"`,
      fix: explicit
        ? `Available: ${listFields(available)}. Fix the mapping.`
        : `Available: ${listFields(available)}. If the ${role} is under another name, map it (mapping.${role}).`,
    });

  const instructionField = mapping.instruction ?? 'instruction';
  if (!available.has(instructionField)) throw unknownField('instruction', instructionField, mapping.instruction !== undefined);
  let idField: string | null = mapping.id ?? 'id';
  if (!available.has(idField)) {
    if (mapping.id !== undefined) throw unknownField('id', idField, true);
    idField = null;
  }
  for (const name of mapping.metadata ?? []) {
    if (!available.has(name)) throw unknownField('metadata', name, true);
  }
  const keepInMetadata = mapping.metadata ? new Set(mapping.metadata) : null;
  const consumed = new Set<string>([instructionField, ...NATIVE_FIELDS, ...reserved]);
  if (idField) consumed.add(idField);

  const idLines = new Map<string, number>();
  const built: BuiltRow[] = [];
  table.rows.forEach((row, i) => {
    const rec = records[i] as Record<string, unknown>;
    const at = { file, line: row.line };
    options.checkRow?.(rec, row);

    const instruction = rec[instructionField];
    if (instruction === undefined || instruction === null) {
      throw new DatasetError({
        ...at,
        field: instructionField,
        problem: `field "${instructionField}" (the instruction) is missing`,
        fix: 'Add the instruction to this row or remove the row.',
      });
    }
    if (typeof instruction !== 'string') {
      throw new DatasetError({
        ...at,
        field: instructionField,
        problem: `field "${instructionField}" must be a string, got ${typeName(instruction)}`,
        fix: 'Write the instruction as text.',
      });
    }
    if (instruction.trim() === '') {
      throw new DatasetError({
        ...at,
        field: instructionField,
        problem: `field "${instructionField}" (the instruction) is empty`,
        fix: 'Add the instruction to this row or remove the row.',
      });
    }

    let id: string;
    if (idField === null) {
      id = String(row.index);
    } else {
      const rawId = rec[idField];
      if (isEmpty(rawId)) {
        throw new DatasetError({
          ...at,
          field: idField,
          problem: `field "${idField}" (the id) is missing or empty`,
          fix: 'Every row needs a unique id once the file has an id field. Add one or remove the row.',
        });
      }
      const parsed = scalar.safeParse(rawId);
      if (!parsed.success) {
        throw new DatasetError({
          ...at,
          field: idField,
          problem: `field "${idField}" (the id) must be a string or a number, got ${typeName(rawId)}`,
          fix: 'Use a plain string or number as the id.',
        });
      }
      id = parsed.data;
    }
    const firstLine = idLines.get(id);
    if (firstLine !== undefined) {
      throw new DatasetError({
        ...at,
        field: idField,
        problem: `duplicate id "${id}" (already used on line ${firstLine})`,
        fix: `Ids must be unique: change or remove one of lines ${firstLine} and ${row.line}.`,
      });
    }
    idLines.set(id, row.line);

    const item: Item = { id, instruction, metadata: {} };
    for (const field of NATIVE_FIELDS) {
      const value = rec[field];
      if (isEmpty(value)) continue;
      if (field === 'task_types' || field === 'topics') {
        const list = parseStringList(value);
        if (list === null) {
          throw new DatasetError({
            ...at,
            field,
            problem: `field "${field}" must be a list of strings, got ${typeName(value)}`,
            fix: 'Write it as a JSON array of strings, or as text separated by ";" or "|".',
          });
        }
        if (field === 'task_types') item.taskTypes = list;
        else item.topics = list;
        continue;
      }
      const parsed = scalar.safeParse(value);
      if (!parsed.success) {
        throw new DatasetError({
          ...at,
          field,
          problem: `field "${field}" must be a string, got ${typeName(value)}`,
          fix: 'Write it as text, or remove the field.',
        });
      }
      if (field === 'source_id') item.sourceId = parsed.data;
      else item[field] = parsed.data;
    }
    for (const [key, value] of Object.entries(rec)) {
      if (keepInMetadata ? keepInMetadata.has(key) : !consumed.has(key)) item.metadata[key] = value;
    }
    built.push({ item, record: rec, line: row.line, index: row.index });
  });
  return built;
}
