import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/shared/domain';
import { DatasetError, readDatasetFile } from '../../../src/main/core/datasets';
import { caught, FIXTURES, JUST_EVAL_FILE, scratchDir } from './tmpFiles';

const tmp = scratchDir();
afterAll(() => tmp.cleanup());

const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** 400 regular rows; row n (0-based) sits on line n + 1. */
function generatedRows(): Array<Record<string, unknown>> {
  return Array.from({ length: 400 }, (_, i) => ({
    id: i,
    instruction: `Instruction number ${i}?`,
    category: 'regular',
    task_types: ['info-seek'],
  }));
}

describe.skipIf(!existsSync(JUST_EVAL_FILE))('the real Just-Eval-Instruct file', () => {
  // Read in beforeAll: a skipped describe still runs its body to collect tests.
  let format = '';
  let items: Item[] = [];
  beforeAll(() => {
    ({ format, items } = readDatasetFile(JUST_EVAL_FILE));
  });

  it('reads 1000 items with string ids', () => {
    expect(format).toBe('jsonl');
    expect(items).toHaveLength(1000);
    expect(items[0]?.id).toBe('0');
    expect(new Set(items.map((i) => i.id)).size).toBe(1000);
  });

  it('reads the Just-Eval fields natively, not into metadata', () => {
    const kickball = items.find((i) => i.id === '2');
    expect(kickball).toMatchObject({
      sourceId: 'alpaca_eval-2',
      dataset: 'helpful_base',
      category: 'regular',
      taskTypes: ['info-seek', 'procedure'],
      topics: ['lifestyle'],
      difficulty: 'easy',
      metadata: {},
    });
  });

  it('reads safety items, which have no task types', () => {
    const safety = items.find((i) => i.id === '800');
    expect(safety?.category).toBe('safety');
    expect(safety?.sourceId).toBe('red_team-0');
    expect(safety?.taskTypes).toBeUndefined();
    expect(items.filter((i) => i.category === 'safety')).toHaveLength(200);
  });
});

describe('JSONL', () => {
  it('reports invalid JSON with its line number, file name and what to do', () => {
    const lines = jsonl(generatedRows()).split('\n');
    lines[311] = (lines[311] as string).slice(0, -1); // drop the closing brace of line 312
    const file = tmp.write('just_eval.jsonl', lines.join('\n'));
    const err = caught(() => readDatasetFile(file));
    expect(err).toBeInstanceOf(DatasetError);
    const e = err as DatasetError;
    expect(e.line).toBe(312);
    expect(e.file).toBe(file);
    expect(e.message).toMatch(/^just_eval\.jsonl:312: invalid JSON \(.+\)\. .*Fix the line or remove it\.$/);
  });

  it('allows blank lines and still counts them in line numbers', () => {
    const file = tmp.write('blank.jsonl', `\n{"id": 1, "instruction": "a"}\n\n   \n{"id": 2, "instruction": "b"}\n{"id": 3}\n`);
    const e = caught(() => readDatasetFile(file)) as DatasetError;
    expect(e.line).toBe(6);
    const ok = tmp.write('blank-ok.jsonl', `\n{"id": 1, "instruction": "a"}\n\r\n{"id": 2, "instruction": "b"}\r\n\n`);
    expect(readDatasetFile(ok).items.map((i) => i.id)).toEqual(['1', '2']);
  });

  it('rejects a missing instruction, naming the field and the line', () => {
    const rows = generatedRows().slice(0, 10);
    delete rows[6]?.instruction;
    const e = caught(() => readDatasetFile(tmp.write('missing.jsonl', jsonl(rows)))) as DatasetError;
    expect(e.line).toBe(7);
    expect(e.field).toBe('instruction');
    expect(e.message).toMatch(/^missing\.jsonl:7: field "instruction" .*is missing\. /);
  });

  it('rejects an empty or non-string instruction', () => {
    const empty = tmp.write('empty-instr.jsonl', jsonl([{ id: 1, instruction: 'ok' }, { id: 2, instruction: '  ' }]));
    expect(caught(() => readDatasetFile(empty)).message).toMatch(/^empty-instr\.jsonl:2: field "instruction" .*is empty/);
    const numeric = tmp.write('num-instr.jsonl', jsonl([{ id: 1, instruction: 42 }]));
    expect(caught(() => readDatasetFile(numeric)).message).toMatch(/:1: field "instruction" must be a string, got a number/);
  });

  it('rejects duplicate ids, naming both lines', () => {
    const rows = generatedRows().slice(0, 20);
    (rows[14] as Record<string, unknown>).id = 3; // same id as line 4
    const e = caught(() => readDatasetFile(tmp.write('dup.jsonl', jsonl(rows)))) as DatasetError;
    expect(e.line).toBe(15);
    expect(e.field).toBe('id');
    expect(e.message).toContain('dup.jsonl:15: duplicate id "3"');
    expect(e.message).toContain('line 4');
    expect(e.message).toMatch(/lines 4 and 15/);
  });

  it('treats the number 3 and the string "3" as the same id', () => {
    const file = tmp.write('dup-types.jsonl', jsonl([{ id: 3, instruction: 'a' }, { id: '3', instruction: 'b' }]));
    expect(caught(() => readDatasetFile(file)).message).toContain(':2: duplicate id "3"');
  });

  it('rejects an empty file', () => {
    expect(caught(() => readDatasetFile(tmp.write('empty.jsonl', ''))).message).toMatch(/^empty\.jsonl: the file is empty\. /);
    expect(caught(() => readDatasetFile(tmp.write('ws.jsonl', '\n  \n'))).message).toMatch(/the file is empty/);
  });

  it('rejects a row that is not an object', () => {
    const file = tmp.write('array-row.jsonl', `{"id": 1, "instruction": "a"}\n["id", "instruction"]\n`);
    const e = caught(() => readDatasetFile(file)) as DatasetError;
    expect(e.message).toMatch(/^array-row\.jsonl:2: the row is an array, not an object\. /);
  });

  it('hints at the format when a JSON array is saved as .jsonl', () => {
    const file = tmp.write('pretty.jsonl', JSON.stringify([{ id: 1, instruction: 'a' }], null, 2));
    expect(caught(() => readDatasetFile(file)).message).toMatch(/pretty\.jsonl:1: invalid JSON .*format 'json'/);
  });

  it('keeps unknown fields verbatim in metadata and converts numeric ids to strings', () => {
    const file = tmp.write(
      'meta.jsonl',
      jsonl([{ id: 7, instruction: 'Hi', reference: { answer: 'Hello', score: 2 }, tags: ['x'], category: 'regular' }]),
    );
    const [item] = readDatasetFile(file).items;
    expect(item).toEqual({
      id: '7',
      instruction: 'Hi',
      category: 'regular',
      metadata: { reference: { answer: 'Hello', score: 2 }, tags: ['x'] },
    });
  });

  it('uses the 0-based row index as id when the file has no id field', () => {
    const file = tmp.write('noid.jsonl', jsonl([{ instruction: 'a' }, { instruction: 'b' }, { instruction: 'c' }]));
    expect(readDatasetFile(file).items.map((i) => i.id)).toEqual(['0', '1', '2']);
  });

  it('requires an id on every row once some rows have one', () => {
    const file = tmp.write('some-ids.jsonl', jsonl([{ id: 'q1', instruction: 'a' }, { instruction: 'b' }]));
    const e = caught(() => readDatasetFile(file)) as DatasetError;
    expect(e.line).toBe(2);
    expect(e.field).toBe('id');
  });

  it('rejects native fields of the wrong type', () => {
    const file = tmp.write('bad-native.jsonl', jsonl([{ id: 1, instruction: 'a', task_types: { a: 1 } }]));
    expect(caught(() => readDatasetFile(file)).message).toMatch(/:1: field "task_types" must be a list of strings/);
  });

  it('takes the format from the options when the extension does not tell it', () => {
    const file = tmp.write('data.txt', jsonl([{ id: 1, instruction: 'a' }]));
    expect(caught(() => readDatasetFile(file)).message).toMatch(/^data\.txt: cannot tell the format .*pass format/);
    expect(readDatasetFile(file, { format: 'jsonl' }).items).toHaveLength(1);
  });

  it('reports a missing file as a DatasetError', () => {
    const e = caught(() => readDatasetFile(path.join(FIXTURES, 'does-not-exist.jsonl')));
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.message).toMatch(/does-not-exist\.jsonl: cannot read the file \(ENOENT\)\. Check the path\./);
  });
});

describe('field mapping', () => {
  const rows = [
    { qid: 'x-1', prompt: 'First?', lang: 'fr', note: 'n1', instruction: 'not this one' },
    { qid: 'x-2', prompt: 'Second?', lang: 'fr', note: 'n2', instruction: 'nor this' },
  ];

  it('reads id and instruction from the named fields and keeps the rest in metadata', () => {
    const file = tmp.write('mapped.jsonl', jsonl(rows));
    const { items } = readDatasetFile(file, { mapping: { id: 'qid', instruction: 'prompt' } });
    expect(items[1]).toEqual({
      id: 'x-2',
      instruction: 'Second?',
      metadata: { lang: 'fr', note: 'n2', instruction: 'nor this' },
    });
  });

  it('keeps only the listed metadata fields when a list is given', () => {
    const file = tmp.write('mapped-meta.jsonl', jsonl(rows));
    const { items } = readDatasetFile(file, { mapping: { id: 'qid', instruction: 'prompt', metadata: ['lang'] } });
    expect(items[0]?.metadata).toEqual({ lang: 'fr' });
  });

  it('rejects a mapping that names a field the file does not have, listing the available ones', () => {
    const file = tmp.write('mapped-bad.jsonl', jsonl(rows));
    const e = caught(() => readDatasetFile(file, { mapping: { instruction: 'question' } })) as DatasetError;
    expect(e.field).toBe('question');
    expect(e.message).toContain('mapped-bad.jsonl: the mapping names instruction field "question"');
    expect(e.message).toContain('Available: "qid", "prompt", "lang", "note", "instruction"');
    const e2 = caught(() => readDatasetFile(file, { mapping: { instruction: 'prompt', id: 'uid' } }));
    expect(e2.message).toContain('id field "uid"');
    const e3 = caught(() => readDatasetFile(file, { mapping: { instruction: 'prompt', metadata: ['lang', 'langue'] } }));
    expect(e3.message).toContain('metadata field "langue"');
  });

  it('tells how to map the instruction when the default field is absent', () => {
    const file = tmp.write('no-instr.jsonl', jsonl([{ id: 1, prompt: 'a' }]));
    const e = caught(() => readDatasetFile(file));
    expect(e.message).toMatch(/no row has a field "instruction"\. Available: "id", "prompt"\. .*mapping\.instruction/);
  });

  it('requires the mapped id on every row', () => {
    const file = tmp.write('mapped-noid.jsonl', jsonl([rows[0], { prompt: 'Third?' }]));
    const e = caught(() => readDatasetFile(file, { mapping: { id: 'qid', instruction: 'prompt' } })) as DatasetError;
    expect(e.message).toMatch(/^mapped-noid\.jsonl:2: field "qid" \(the id\) is missing/);
  });
});

describe('JSON arrays', () => {
  it('reads a top-level array of objects', () => {
    const { format, items } = readDatasetFile(path.join(FIXTURES, 'small.json'));
    expect(format).toBe('json');
    expect(items.map((i) => i.id)).toEqual(['a1', 'a2', 'a3']);
    expect(items[0]?.taskTypes).toEqual(['info-seek']);
    expect(items[0]?.metadata.nested).toEqual({ list: [1, 2, [3, ']']], quote: 'say "hi", then {' });
    expect(items[1]?.topics).toEqual(['arts']);
    expect(items[2]).toMatchObject({ difficulty: 'easy', metadata: { source: 'handwritten' } });
  });

  it('reports the line on which the faulty element starts', () => {
    const text = [
      '[',
      '  {"id": 1, "instruction": "a [tricky] {string}"},',
      '  {',
      '    "id": 2,',
      '    "instruction": "b"',
      '  },',
      '',
      '  {"id": 3, "nested": [{"instruction": "not here"}]}',
      ']',
    ].join('\n');
    const e = caught(() => readDatasetFile(tmp.write('elements.json', text))) as DatasetError;
    expect(e.line).toBe(8);
    expect(e.message).toMatch(/^elements\.json:8: field "instruction" .*is missing/);
    const dup = text.replace('"id": 3', '"id": 1').replace('"nested": [{"instruction": "not here"}]', '"instruction": "c"');
    expect(caught(() => readDatasetFile(tmp.write('elements-dup.json', dup))).message).toMatch(/:8: duplicate id "1".*lines 2 and 8/);
  });

  it('rejects a JSON file that is not an array', () => {
    const file = tmp.write('object.json', JSON.stringify({ data: [{ id: 1, instruction: 'a' }] }, null, 2));
    const e = caught(() => readDatasetFile(file));
    expect(e.message).toMatch(/^object\.json:1: the top-level JSON value is an object, not an array of objects\. /);
    expect(e.message).toContain('"data"');
  });

  it('reports invalid JSON with the line of the error', () => {
    const file = tmp.write('broken.json', '[\n  {"id": 1, "instruction": "a"},\n  {"id": 2 "instruction": "b"}\n]\n');
    const e = caught(() => readDatasetFile(file)) as DatasetError;
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^broken\.json:3: invalid JSON \(.*column \d+.*\)/);
  });

  it('hints at JSONL when a .json file holds one object per line', () => {
    const file = tmp.write('lines.json', jsonl([{ id: 1, instruction: 'a' }, { id: 2, instruction: 'b' }]));
    expect(caught(() => readDatasetFile(file)).message).toMatch(/^lines\.json:2: invalid JSON .*format 'jsonl'/);
  });

  it('rejects an empty array and a non-object element', () => {
    expect(caught(() => readDatasetFile(tmp.write('none.json', '[]'))).message).toMatch(/the JSON array is empty/);
    const e = caught(() => readDatasetFile(tmp.write('str.json', '[\n  {"id": 1, "instruction": "a"},\n  "b"\n]')));
    expect(e.message).toMatch(/^str\.json:3: the row is a string, not an object/);
  });
});
