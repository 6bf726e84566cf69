import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvSafeCell, toCsv } from '../../../src/shared/csvSafe';

// OWASP "CSV Injection": a cell starting with one of these is read as a formula by spreadsheet programs.
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];

describe('csvSafeCell (OWASP CSV injection rule)', () => {
  it.each(FORMULAS)('prefixes %j with a single quote', (cell) => {
    expect(csvSafeCell(cell)).toBe(`'${cell}`);
  });

  it.each(['plain text', 'a=b', ' =1 (space first)', '', "'already quoted", '3.50'])('leaves %j unchanged', (cell) => {
    expect(csvSafeCell(cell)).toBe(cell);
  });
});

describe('toCsv', () => {
  it('quotes every cell, doubles inner quotes, neutralises formula strings, and parses back', () => {
    const text = toCsv(['id', 'output', 'score'], [
      ['1', '=cmd|"/c calc"!A1', 3.5],
      ['2', 'line\nbreak, comma "quoted"', -1],
      ['3', null, undefined],
    ]);
    expect(text.split('\n')[0]).toBe('"id","output","score"');
    expect(text).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(parse(text)).toEqual([
      ['id', 'output', 'score'],
      ['1', `'=cmd|"/c calc"!A1`, '3.5'],
      ['2', 'line\nbreak, comma "quoted"', '-1'],
      ['3', '', ''],
    ]);
  });

  it('keeps numbers as numbers: a negative number is data, not a formula', () => {
    expect(toCsv(['x'], [[-2]])).toBe('"x"\n"-2"\n');
  });
});
