import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/shared/domain';
import { DatasetError, readDatasetFile, readIdList, selectSubset } from '../../../src/main/core/datasets';
import { caught, JUST_EVAL_FILE, LITE_IDS_FILE, scratchDir } from './tmpFiles';

const tmp = scratchDir();
afterAll(() => tmp.cleanup());

const item = (id: string, category: string, taskTypes?: string[]): Item => ({
  id,
  instruction: `instruction ${id}`,
  category,
  ...(taskTypes ? { taskTypes } : {}),
  metadata: {},
});

/** 100 items: every 4th is safety; task types alternate. */
const items: Item[] = Array.from({ length: 100 }, (_, i) =>
  i % 4 === 3 ? item(`i${i}`, 'safety') : item(`i${i}`, 'regular', i % 2 === 0 ? ['info-seek', 'math'] : ['writing']),
);
const ids = (list: Item[]): string[] => list.map((i) => i.id);

describe('selectSubset', () => {
  it('returns everything for an empty subset', () => {
    const { items: out, missingIds } = selectSubset(items, {});
    expect(out).toEqual(items);
    expect(out).not.toBe(items);
    expect(missingIds).toEqual([]);
  });

  it('filters by category and by task type (AND)', () => {
    expect(selectSubset(items, { category: 'safety' }).items).toHaveLength(25);
    expect(selectSubset(items, { taskType: 'math' }).items).toHaveLength(50);
    const both = selectSubset(items, { category: 'regular', taskType: 'writing' }).items;
    expect(both).toHaveLength(25);
    expect(both.every((i) => i.category === 'regular' && i.taskTypes?.includes('writing'))).toBe(true);
  });

  it('keeps dataset order for ids and returns the ids not in the dataset', () => {
    const { items: out, missingIds } = selectSubset(items, { ids: ['i9', 'nope', 'i2', 'i5', 'i2', 'also-missing'] });
    expect(ids(out)).toEqual(['i2', 'i5', 'i9']);
    expect(missingIds).toEqual(['nope', 'also-missing']);
  });

  it('does not count ids excluded by another filter as missing', () => {
    const { items: out, missingIds } = selectSubset(items, { ids: ['i2', 'i3'], category: 'safety' });
    expect(ids(out)).toEqual(['i3']);
    expect(missingIds).toEqual([]);
  });

  it('selects nothing for an empty id list', () => {
    expect(selectSubset(items, { ids: [] }).items).toEqual([]);
  });

  it('samples deterministically: same seed ⇒ same items, different seed ⇒ different items', () => {
    const a = ids(selectSubset(items, { sample: { size: 10, seed: 42 } }).items);
    const b = ids(selectSubset(items, { sample: { size: 10, seed: 42 } }).items);
    const c = ids(selectSubset(items, { sample: { size: 10, seed: 43 } }).items);
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Returned in dataset order, whatever the shuffle did.
    const positions = a.map((id) => Number(id.slice(1)));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });

  it('pins the sample for a given seed (reproducible across versions and machines)', () => {
    expect(ids(selectSubset(items, { sample: { size: 5, seed: 1 } }).items)).toEqual(['i7', 'i20', 'i74', 'i80', 'i98']);
  });

  it('samples after the filters and limits last', () => {
    const sampled = selectSubset(items, { category: 'regular', sample: { size: 20, seed: 7 } }).items;
    expect(sampled.every((i) => i.category === 'regular')).toBe(true);
    const limited = selectSubset(items, { category: 'regular', sample: { size: 20, seed: 7 }, limit: 5 }).items;
    expect(limited).toEqual(sampled.slice(0, 5));
    expect(selectSubset(items, { limit: 3 }).items).toEqual(items.slice(0, 3));
  });

  it('keeps every item when the sample is larger than the selection', () => {
    expect(selectSubset(items, { category: 'safety', sample: { size: 1000, seed: 1 } }).items).toHaveLength(25);
  });

  it('rejects invalid sizes, limits and seeds', () => {
    expect(() => selectSubset(items, { sample: { size: -1, seed: 1 } })).toThrow(RangeError);
    expect(() => selectSubset(items, { sample: { size: 2.5, seed: 1 } })).toThrow(/whole number/);
    expect(() => selectSubset(items, { sample: { size: 2, seed: 0.5 } })).toThrow(/seed must be an integer/);
    expect(() => selectSubset(items, { limit: -3 })).toThrow(/limit must be a whole number/);
  });
});

describe('readIdList', () => {
  it('reads a JSON array of ids as strings', () => {
    expect(readIdList(tmp.write('ids.json', '[3, "a", 3, 10]'))).toEqual(['3', 'a', '10']);
  });

  it('reads a text file with one id per line', () => {
    expect(readIdList(tmp.write('ids.txt', 'q1\r\n\n  q2  \nq3\n'))).toEqual(['q1', 'q2', 'q3']);
  });

  it('merges an object of arrays or picks one key with path#key', () => {
    const file = tmp.write('groups.json', JSON.stringify({ first: [1, 2], second: [2, 3] }));
    expect(readIdList(file)).toEqual(['1', '2', '3']);
    expect(readIdList(`${file}#second`)).toEqual(['2', '3']);
    const e = caught(() => readIdList(`${file}#third`)) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.message).toBe('groups.json: there is no key "third". Available keys: "first", "second".');
  });

  it('rejects empty lists and non-id values', () => {
    expect(caught(() => readIdList(tmp.write('none.txt', '\n'))).message).toMatch(/^none\.txt: the id list is empty/);
    expect(caught(() => readIdList(tmp.write('none.json', '[]'))).message).toMatch(/contains no ids/);
    expect(caught(() => readIdList(tmp.write('bad.json', '{"a": [1, {"x": 2}]}'))).message).toMatch(
      /^bad\.json: element 1 of "a" is not a string or a number/,
    );
    expect(caught(() => readIdList(tmp.write('notarr.json', '{"a": 5}'))).message).toMatch(/"a" is not an array of ids/);
  });
});

describe.skipIf(!existsSync(JUST_EVAL_FILE) || !existsSync(LITE_IDS_FILE))('Just-Eval lite subset', () => {
  // Read in beforeAll: a skipped describe still runs its body to collect tests.
  let all: Item[] = [];
  beforeAll(() => {
    all = readDatasetFile(JUST_EVAL_FILE).items;
  });

  it('selects the 350 lite items from the merged id lists', () => {
    const liteIds = readIdList(LITE_IDS_FILE);
    expect(liteIds).toHaveLength(350);
    const { items: lite, missingIds } = selectSubset(all, { ids: liteIds });
    expect(missingIds).toEqual([]);
    expect(lite).toHaveLength(350);
    // Dataset order, not the order of the id file.
    const positions = lite.map((i) => Number(i.id));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });

  it('selects only the safety part with #lite_safety_ids', () => {
    const safetyIds = readIdList(`${LITE_IDS_FILE}#lite_safety_ids`);
    const { items: safety } = selectSubset(all, { ids: safetyIds });
    expect(safety).toHaveLength(75);
    expect(safety.every((i) => i.category === 'safety')).toBe(true);
    expect(selectSubset(all, { ids: safetyIds, category: 'regular' }).items).toEqual([]);
  });

  it('combines the lite regular ids with a task-type filter', () => {
    const regularIds = readIdList(`${LITE_IDS_FILE}#lite_regular_ids`);
    const coding = selectSubset(all, { ids: regularIds, taskType: 'coding' }).items;
    expect(coding.length).toBeGreaterThan(0);
    expect(coding.every((i) => i.taskTypes?.includes('coding') && regularIds.includes(i.id))).toBe(true);
  });
});
