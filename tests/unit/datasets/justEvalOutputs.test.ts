import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDatasetFile } from '../../../src/main/core/datasets/readDatasetFile';
import { readGenerationsFile } from '../../../src/main/core/datasets/readGenerationsFile';
import { joinOutputsToDataset } from '../../../src/main/core/datasets/joinOutputsToDataset';
import { toJustEvalOutputs } from '../../../src/main/core/datasets/toJustEvalOutputs';
import { pythonJsonDump } from '../../../src/main/core/judge/justEval/pythonJsonDump';

const JUST_EVAL = join(__dirname, '../../../../shared/data/just_eval');
const TO_EVAL = ['Yi-6B-Chat.to_eval.json', 'tulu-2-dpo-7b.to_eval.json'].map((f) => join(JUST_EVAL, 'leaderboard_dev', f));
const dir = mkdtempSync(join(tmpdir(), 'align-to-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputsOf = (path: string) => {
  const { items, outputs } = readGenerationsFile(path);
  return { items, outputs: items.map((i) => ({ itemId: i.id, ...outputs.get(i.id)! })) };
};

describe('generations export --format just-eval (to_eval.json)', () => {
  it.each(TO_EVAL)('%s round-trips byte for byte through import and export', (path) => {
    const { items, outputs } = outputsOf(path);
    expect(outputs).toHaveLength(1000);
    expect(pythonJsonDump(toJustEvalOutputs(outputs, items, 'unused'))).toBe(readFileSync(path, 'utf8'));
  });

  it('writes our own runs in the same shape: dataset and source_id from the item, the run\'s generator', () => {
    const { items } = readDatasetFile(join(JUST_EVAL, 'just_eval_instruct_en.jsonl'));
    const [record] = toJustEvalOutputs([{ itemId: '0', output: 'Hugh Jackman.', generator: null, extra: {} }], items, 'stories260K · zero-shot');
    const reference = (JSON.parse(readFileSync(TO_EVAL[0]!, 'utf8')) as Record<string, unknown>[])[0]!;
    expect(Object.keys(record!)).toEqual(Object.keys(reference));
    expect(record).toMatchObject({ id: 0, instruction: reference.instruction, dataset: reference.dataset, source_id: reference.source_id, datasplit: 'just_eval', generator: 'stories260K · zero-shot' });
  });
});

describe('generations import --dataset: outputs joined to the dataset\'s items by id', () => {
  const dataset = { name: 'just-eval-en', items: readDatasetFile(join(JUST_EVAL, 'just_eval_instruct_en.jsonl')).items };

  it('gives every output its item, with category, task types and difficulty', () => {
    const content = readGenerationsFile(TO_EVAL[1]!);
    const joined = joinOutputsToDataset(TO_EVAL[1]!, content, dataset);
    expect(joined.map((i) => i.id)).toEqual(content.items.map((i) => i.id));
    expect(joined.filter((i) => i.category === 'safety')).toHaveLength(200);
    const regular = joined.find((i) => i.id === '0')!;
    expect(regular.category).toBe('regular');
    expect(regular.taskTypes!.length).toBeGreaterThan(0);
    expect(regular.difficulty).toBeTruthy();
    // The file itself knows none of them.
    expect(content.items[0]!.taskTypes).toBeUndefined();
  });

  it('refuses an id the dataset lacks and an output of another instruction, naming the item', () => {
    const rows = (JSON.parse(readFileSync(TO_EVAL[0]!, 'utf8')) as Record<string, unknown>[]).slice(0, 3);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify([...rows, { ...rows[0], id: 5000 }]));
    expect(() => joinOutputsToDataset(unknown, readGenerationsFile(unknown), dataset)).toThrow('unknown.json: item "5000" is not in dataset "just-eval-en"');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify([rows[0], { ...rows[1], instruction: 'Traduis ceci en français.' }]));
    expect(() => joinOutputsToDataset(other, readGenerationsFile(other), dataset)).toThrow(`other.json: item "${rows[1]!.id}": the instruction differs from dataset "just-eval-en"'s`);
  });
});
