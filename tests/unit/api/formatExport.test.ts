import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatExport } from '../../../src/main/services/generations/formatExport';

describe('formatExport CSV (generations / annotations export)', () => {
  it('neutralises model output that starts like a formula, in flat and nested fields', () => {
    const rows = [
      { id: 1, output: '=1+1', note: '+SUM(A1:A9)', meta: { k: 'v' } },
      { id: 2, output: '-cmd', note: '\tx', meta: null },
    ];
    const parsed = parse(formatExport(rows, 'csv'), { columns: true }) as Record<string, string>[];
    expect(parsed).toEqual([
      { id: '1', output: "'=1+1", note: "'+SUM(A1:A9)", meta: '{"k":"v"}' },
      { id: '2', output: "'-cmd", note: "'\tx", meta: '' },
    ]);
  });

  it('leaves JSONL untouched (it is not opened by spreadsheets)', () => {
    expect(formatExport([{ output: '=1+1' }], 'jsonl')).toBe('{"output":"=1+1"}\n');
  });
});
