/** The Language Confusion Benchmark's outputs_dev CSVs (two models' real EN/FR/ES answers), read from ../shared. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface OutputsDevRow {
  id: string;
  model: string;
  completion: string;
  task: string;
  source: string;
  language: string;
}

export function readOutputsDev(csv: string): OutputsDevRow[] {
  return parse(readFileSync(csv, 'utf8'), { columns: true }) as OutputsDevRow[];
}
