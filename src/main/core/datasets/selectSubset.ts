import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { seededShuffle } from '../../../shared/random';
import type { Item, Subset } from '../../../shared/domain';
import { DatasetError } from './DatasetError';
import { readText } from './sourceRows';

export interface SubsetSelection {
  /** Selected items, always in dataset order. */
  items: Item[];
  /**
   * Ids of `subset.ids` that are not in the dataset at all (not those merely excluded by another filter),
   * in the order given. Returned rather than dropped silently: a typo in an id list must be visible.
   */
  missingIds: string[];
}


function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`Subset ${name} must be a whole number ≥ 0, got ${value}.`);
  }
}

/**
 * Applies a `Subset`: the filters `category`, `taskType` (one of the item's task types) and `ids` combine
 * with AND; then the seeded `sample`, then `limit`. An empty `ids` list selects nothing (it is a filter, not
 * "no filter"), so an empty id file never silently turns into a full-dataset run.
 *
 * The sample is reproducible: same items after the filters + same seed ⇒ same sample, on any machine. It
 * is returned in dataset order, so the sample's order does not depend on the shuffle either.
 */
export function selectSubset(items: Item[], subset: Subset): SubsetSelection {
  let selected = items;
  if (subset.category !== undefined) selected = selected.filter((it) => it.category === subset.category);
  if (subset.taskType !== undefined) {
    const taskType = subset.taskType;
    selected = selected.filter((it) => it.taskTypes?.includes(taskType) ?? false);
  }
  let missingIds: string[] = [];
  if (subset.ids !== undefined) {
    const wanted = new Set(subset.ids.map(String));
    const known = new Set(items.map((it) => it.id));
    missingIds = [...wanted].filter((id) => !known.has(id));
    selected = selected.filter((it) => wanted.has(it.id));
  }
  if (subset.sample !== undefined) {
    const { size, seed } = subset.sample;
    checkCount('sample size', size);
    if (!Number.isInteger(seed)) throw new RangeError(`Subset sample seed must be an integer, got ${seed}.`);
    if (size < selected.length) {
      const order = seededShuffle(selected.map((_, i) => i), seed);
      const kept = order.slice(0, size).sort((a, b) => a - b);
      selected = kept.map((i) => selected[i] as Item);
    }
  }
  if (subset.limit !== undefined) {
    checkCount('limit', subset.limit);
    selected = selected.slice(0, subset.limit);
  }
  return { items: selected === items ? [...items] : selected, missingIds };
}

const idValue = z.union([z.string(), z.number().refine(Number.isFinite)]).transform(String);

function dedupe(ids: string[]): string[] {
  return [...new Set(ids)];
}

/**
 * Reads a list of item ids from:
 * - a JSON array of ids (strings or numbers);
 * - a JSON object of arrays, like Just-Eval's `lite_subset_ids.json`: all arrays merged in key order, or a
 *   single one with `path#key`;
 * - any other text file: one id per line (blank lines ignored).
 * Ids come back as strings, first occurrence kept, duplicates dropped.
 */
export function readIdList(spec: string): string[] {
  let file = spec;
  let key: string | null = null;
  const hash = spec.lastIndexOf('#');
  // A '#' can be part of a real file name, so the suffix is a key only when the full path does not exist.
  if (hash > 0 && !existsSync(spec)) {
    file = spec.slice(0, hash);
    key = spec.slice(hash + 1);
  }
  const text = readText(file);
  if (text.trim() === '') {
    throw new DatasetError({ file, problem: 'the id list is empty', fix: 'Choose the right file, or add at least one id.' });
  }
  // An empty selection would make a run over zero items; better to stop at the file that caused it.
  const nonEmpty = (ids: string[]): string[] => {
    if (ids.length === 0) {
      throw new DatasetError({
        file,
        field: key,
        problem: 'the id list contains no ids',
        fix: 'Choose the right file or key, or add at least one id.',
      });
    }
    return ids;
  };

  const trimmed = text.trimStart();
  const isJson = extname(file).toLowerCase() === '.json' || trimmed.startsWith('[') || trimmed.startsWith('{');
  if (!isJson) {
    if (key !== null) {
      throw new DatasetError({
        file,
        problem: `"#${key}" selects a key, but this is a plain-text id list`,
        fix: 'Remove the "#…" suffix, or point to a JSON object of id arrays.',
      });
    }
    return nonEmpty(dedupe(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ));
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DatasetError({
      file,
      problem: `invalid JSON (${err instanceof Error ? err.message : String(err)})`,
      fix: 'Fix the JSON: an id list is an array of ids, or an object whose values are arrays of ids.',
    });
  }
  const toIds = (list: unknown, where: string, field: string | null): string[] => {
    if (!Array.isArray(list)) {
      throw new DatasetError({
        file,
        field,
        problem: `${where} is not an array of ids`,
        fix: 'An id list is an array of ids, or an object whose values are arrays of ids.',
      });
    }
    return list.map((v, i) => {
      const parsed = idValue.safeParse(v);
      if (!parsed.success) {
        throw new DatasetError({
          file,
          field,
          problem: `element ${i} of ${where} is not a string or a number (${JSON.stringify(v)})`,
          fix: 'Ids must be strings or numbers.',
        });
      }
      return parsed.data;
    });
  };

  if (Array.isArray(value)) {
    if (key !== null) {
      throw new DatasetError({
        file,
        problem: `"#${key}" selects a key, but the file is a plain array`,
        fix: 'Remove the "#…" suffix.',
      });
    }
    return nonEmpty(dedupe(toIds(value, 'the array', null)));
  }
  if (typeof value !== 'object' || value === null) {
    throw new DatasetError({
      file,
      problem: 'the JSON value is neither an array nor an object of arrays',
      fix: 'An id list is an array of ids, or an object whose values are arrays of ids.',
    });
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (key !== null) {
    if (!Object.hasOwn(record, key)) {
      throw new DatasetError({
        file,
        field: key,
        problem: `there is no key "${key}"`,
        fix: `Available keys: ${keys.map((k) => `"${k}"`).join(', ') || '(none)'}.`,
      });
    }
    return nonEmpty(dedupe(toIds(record[key], `"${key}"`, key)));
  }
  return nonEmpty(dedupe(keys.flatMap((k) => toIds(record[k], `"${k}"`, k))));
}
