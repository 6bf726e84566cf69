import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, readGenerationsFile } from '../../../src/main/core/datasets';
import { caught, FIXTURES, scratchDir } from './tmpFiles';

const tmp = scratchDir();
afterAll(() => tmp.cleanup());

describe('readGenerationsFile', () => {
  it('reads Just-Eval outputs: items, outputs keyed by id, generator and extra fields', () => {
    const { items, outputs } = readGenerationsFile(path.join(FIXTURES, 'outputs.jsonl'));
    expect(items.map((i) => i.id)).toEqual(['10', '11', '12']);
    expect(items[0]).toEqual({
      id: '10',
      instruction: 'Name a colour.',
      dataset: 'handwritten',
      category: 'regular',
      taskTypes: ['info-seek'],
      metadata: {},
    });
    expect(outputs.get('10')).toEqual({
      output: 'Blue.',
      generator: 'tiny-model-q4',
      extra: { dataset: 'handwritten', category: 'regular', task_types: ['info-seek'] },
    });
  });

  it('keeps an empty output as data', () => {
    const { outputs } = readGenerationsFile(path.join(FIXTURES, 'outputs.jsonl'));
    expect(outputs.get('11')?.output).toBe('');
  });

  it('takes the first output when a row holds a list of samples', () => {
    const { outputs } = readGenerationsFile(path.join(FIXTURES, 'outputs.jsonl'));
    expect(outputs.get('12')).toMatchObject({ output: "I can't help with that.", extra: { category: 'safety' } });
  });

  it('reads a JSON array, with ids from the row index when there are none and no generator', () => {
    const file = tmp.write(
      'gens.json',
      JSON.stringify([
        { instruction: 'a', output: 'A' },
        { instruction: 'b', output: 'B', datasplit: 'just_eval' },
      ]),
    );
    const { items, outputs } = readGenerationsFile(file);
    expect(items.map((i) => i.id)).toEqual(['0', '1']);
    expect(outputs.get('1')).toEqual({ output: 'B', generator: null, extra: { datasplit: 'just_eval' } });
    expect(items[1]?.metadata).toEqual({ datasplit: 'just_eval' });
  });

  it('rejects a row without output, naming file, line and field', () => {
    const file = tmp.write(
      'gens.jsonl',
      [
        JSON.stringify({ id: 1, instruction: 'a', output: 'A', generator: 'm' }),
        '',
        JSON.stringify({ id: 2, instruction: 'b', generator: 'm' }),
      ].join('\n'),
    );
    const e = caught(() => readGenerationsFile(file)) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.line).toBe(3);
    expect(e.field).toBe('output');
    expect(e.message).toMatch(/^gens\.jsonl:3: field "output" is missing\. .*empty string is allowed/);
  });

  it('rejects a non-string output or generator', () => {
    const bad = tmp.write('bad-out.jsonl', JSON.stringify({ id: 1, instruction: 'a', output: 5 }));
    expect(caught(() => readGenerationsFile(bad)).message).toMatch(/:1: field "output" must be a string, got a number/);
    const gen = tmp.write('bad-gen.jsonl', JSON.stringify({ id: 1, instruction: 'a', output: 'x', generator: { name: 'm' } }));
    expect(caught(() => readGenerationsFile(gen)).message).toMatch(/:1: field "generator" must be a string, got an object/);
  });

  it('applies the dataset checks too (duplicate ids)', () => {
    const file = tmp.write(
      'dup-gens.jsonl',
      [{ id: 1, instruction: 'a', output: 'A' }, { id: 1, instruction: 'b', output: 'B' }].map((r) => JSON.stringify(r)).join('\n'),
    );
    expect(caught(() => readGenerationsFile(file)).message).toMatch(/^dup-gens\.jsonl:2: duplicate id "1"/);
  });
});
