import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, readDatasetFile } from '../../../src/main/core/datasets';
import { caught, scratchDir } from './tmpFiles';

const tmp = scratchDir();
afterAll(() => tmp.cleanup());

describe('CSV', () => {
  it('strips a BOM so the first column keeps its name', () => {
    const file = tmp.write('bom.csv', '\uFEFFid,instruction,category\r\nq1,Say hello.,regular\r\nq2,Say bye.,regular\r\n');
    const { format, items } = readDatasetFile(file);
    expect(format).toBe('csv');
    expect(items.map((i) => i.id)).toEqual(['q1', 'q2']);
    expect(items[0]).toEqual({ id: 'q1', instruction: 'Say hello.', category: 'regular', metadata: {} });
  });

  it('reads quoted multi-line fields and keeps later line numbers right', () => {
    const text = [
      'id,instruction,notes', // 1
      '1,"Write a poem', // 2
      'in three lines', // 3
      'about rain.","a ""quoted"" note"', // 4
      '', // 5
      '2,"Translate, please:', // 6
      'bonjour",', // 7
      '3,Plain one,', // 8
      '1,Duplicate of the first,', // 9
    ].join('\n');
    const e = caught(() => readDatasetFile(tmp.write('multiline.csv', text))) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.line).toBe(9);
    expect(e.message).toMatch(/^multiline\.csv:9: duplicate id "1".*lines 2 and 9/);

    const { items } = readDatasetFile(tmp.write('multiline-ok.csv', text.split('\n').slice(0, 8).join('\n')));
    expect(items.map((i) => i.instruction)).toEqual(['Write a poem\nin three lines\nabout rain.', 'Translate, please:\nbonjour', 'Plain one']);
    expect(items[0]?.metadata).toEqual({ notes: 'a "quoted" note' });
  });

  it('reports the start line of a multi-line row that has an error', () => {
    const text = ['id,instruction', '1,ok', '2,"', 'multi', 'line"', '3,""'].join('\n');
    const e = caught(() => readDatasetFile(tmp.write('empty-cell.csv', text))) as DatasetError;
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/field "instruction" .*is empty/);
    const text2 = ['id,instruction', '1,"first', 'row"', ',second'].join('\n');
    expect((caught(() => readDatasetFile(tmp.write('empty-id.csv', text2))) as DatasetError).line).toBe(4);
  });

  it('takes a stray quote inside an unquoted field as text', () => {
    const file = tmp.write('stray.csv', 'id,instruction\n1,Say "hi" twice\n');
    expect(readDatasetFile(file).items[0]?.instruction).toBe('Say "hi" twice');
  });

  it('detects a wrong delimiter from a single-column header', () => {
    const text = 'id;instruction;category\n1;Hello, how are you?;regular\n2;Bye;regular\n';
    const file = tmp.write('semi.csv', text);
    const e = caught(() => readDatasetFile(file)) as DatasetError;
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/^semi\.csv:1: .*looks like ';'-delimited\. Pass delimiter ';'\.$/);
    expect(readDatasetFile(file, { delimiter: ';' }).items[0]?.instruction).toBe('Hello, how are you?');
  });

  it('detects tab- and pipe-delimited files, even with quoted headers', () => {
    const tsv = tmp.write('tabs.csv', '"id"\t"instruction"\n1\tHi\n');
    expect(caught(() => readDatasetFile(tsv)).message).toContain(`looks like '\\t' (tab)-delimited. Pass delimiter '\\t' (tab).`);
    expect(readDatasetFile(tsv, { delimiter: '\t' }).items[0]?.instruction).toBe('Hi');
    const pipes = tmp.write('pipes.csv', 'id|instruction\n1|Hi\n');
    expect(caught(() => readDatasetFile(pipes)).message).toContain(`Pass delimiter '|'`);
  });

  it('reads .tsv files with a tab delimiter by default', () => {
    const file = tmp.write('data.tsv', 'id\tinstruction\n1\tHi, there\n');
    expect(readDatasetFile(file).items[0]).toMatchObject({ id: '1', instruction: 'Hi, there' });
  });

  it('accepts a single-column file without ids', () => {
    const file = tmp.write('single.csv', 'instruction\nFirst\n"Second, with a comma"\n');
    expect(readDatasetFile(file).items.map((i) => [i.id, i.instruction])).toEqual([
      ['0', 'First'],
      ['1', 'Second, with a comma'],
    ]);
  });

  it('reads task_types and topics as JSON arrays or ;/| separated text', () => {
    const text = [
      'id,instruction,task_types,topics,source_id',
      '1,a,"[""info-seek"", ""procedure""]",math;science,s-1',
      '2,b,writing | reasoning,,s-2',
      '3,c,,,',
    ].join('\n');
    const { items } = readDatasetFile(tmp.write('lists.csv', text));
    expect(items[0]).toMatchObject({ taskTypes: ['info-seek', 'procedure'], topics: ['math', 'science'], sourceId: 's-1' });
    expect(items[1]).toMatchObject({ taskTypes: ['writing', 'reasoning'], sourceId: 's-2' });
    expect(items[1]?.topics).toBeUndefined();
    expect(items[2]).toEqual({ id: '3', instruction: 'c', metadata: {} });
  });

  it('rejects a header without rows, and an empty file', () => {
    expect(caught(() => readDatasetFile(tmp.write('header-only.csv', 'id,instruction\n'))).message).toMatch(
      /^header-only\.csv:1: the file has a header but no rows/,
    );
    expect(caught(() => readDatasetFile(tmp.write('empty.csv', ''))).message).toMatch(/^empty\.csv: the file is empty/);
  });

  it('reports rows with the wrong number of fields and unclosed quotes', () => {
    const e = caught(() => readDatasetFile(tmp.write('fields.csv', 'id,instruction\n1,a\n2,b,extra\n'))) as DatasetError;
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^fields\.csv:3: the row does not have as many fields as the header/);
    const q = caught(() => readDatasetFile(tmp.write('quote.csv', 'id,instruction\n1,a\n2,"never closed\n3,c\n'))) as DatasetError;
    expect(q.line).toBe(3);
    expect(q.message).toMatch(/^quote\.csv:3: a quoted field opened in this row is never closed/);
    const q2 = caught(() => readDatasetFile(tmp.write('quote2.csv', 'id,instruction\n1,"multi\nline"\n\n2,"open\n3,c\n'))) as DatasetError;
    expect(q2.line).toBe(5);
    const q3 = caught(() => readDatasetFile(tmp.write('quote3.csv', 'id,instruction\n\n1,a\n\n2,b\n\n3,"open\n'))) as DatasetError;
    expect(q3.line).toBe(7);
    const f2 = caught(() => readDatasetFile(tmp.write('fields2.csv', 'id,instruction\n1,a\n2,"b\nc\nd",extra\n'))) as DatasetError;
    expect(f2.line).toBe(3);
  });

  it('rejects duplicate and unnamed header columns', () => {
    expect(caught(() => readDatasetFile(tmp.write('dupcol.csv', 'id,instruction,id\n1,a,2\n'))).message).toMatch(
      /^dupcol\.csv:1: the header names column "id" twice \(columns 1 and 3\)/,
    );
    expect(caught(() => readDatasetFile(tmp.write('nocol.csv', 'id,instruction,\n1,a,\n'))).message).toMatch(/column 3 of the header has no name/);
  });

  it('applies a field mapping and lists the available columns when it names an unknown one', () => {
    const file = tmp.write('mapped.csv', 'qid,prompt,lang\nk1,Bonjour ?,fr\n');
    expect(readDatasetFile(file, { mapping: { id: 'qid', instruction: 'prompt' } }).items[0]).toEqual({
      id: 'k1',
      instruction: 'Bonjour ?',
      metadata: { lang: 'fr' },
    });
    const e = caught(() => readDatasetFile(file, { mapping: { instruction: 'question' } })) as DatasetError;
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/^mapped\.csv:1: the mapping names instruction field "question", but the file has no such column\. Available: "qid", "prompt", "lang"\./);
  });
});
