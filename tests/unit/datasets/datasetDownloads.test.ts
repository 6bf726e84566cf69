import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatasetFile } from '../../../src/main/core/datasets';
import { DatasetDownloads } from '../../../src/main/services/datasets/DatasetDownloads';
import { DatasetsService } from '../../../src/main/services/datasets/DatasetsService';
import type { DatasetDownloadProgress } from '../../../src/shared/datasets';
import { startLoopbackFileServer, type LoopbackFileServer } from '../../support/loopbackFileServer';
import { JUST_EVAL_EN } from '../../support/paths';
import { openTempStore, type TempStore } from '../../support/tempStore';

const EN = readFileSync(JUST_EVAL_EN);
// A French file laid out as Vicomtech's (data/instructions.jsonl), ids shared with the English one.
const FR = Buffer.from(
  EN.toString('utf8')
    .trim()
    .split('\n')
    .slice(0, 30)
    .map((line) => {
      const row = JSON.parse(line) as { id: unknown; instruction: string };
      return JSON.stringify({ ...row, instruction: `[fr] ${row.instruction}` });
    })
    .join('\n') + '\n',
);

// The first rows of the English file as a Parquet file (snappy, as the Hub writes them), ids as INT64.
const PARQUET_ROWS = 50;
const rows = readDatasetFile(JUST_EVAL_EN).items.slice(0, PARQUET_ROWS);
const PARQUET = Buffer.from(
  parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((r) => BigInt(r.id)), type: 'INT64' },
      { name: 'instruction', data: rows.map((r) => r.instruction), type: 'STRING' },
      { name: 'category', data: rows.map((r) => r.category ?? null), type: 'STRING' },
    ],
  }),
);

describe('datasets downloaded from Hugging Face (loopback hub)', () => {
  let server: LoopbackFileServer;
  let temp: TempStore;
  let datasets: DatasetsService;
  let dir: string;
  const progress: DatasetDownloadProgress[] = [];
  const downloads = (extra: Partial<ConstructorParameters<typeof DatasetDownloads>[0]> = {}) =>
    new DatasetDownloads({ datasets, dir, hfEndpoint: server.url(''), onProgress: (p) => progress.push(p), ...extra });

  beforeAll(async () => {
    server = await startLoopbackFileServer({
      '/datasets/re-align/just-eval-instruct/resolve/main/test_all_with_tags.jsonl': { kind: 'file', body: EN, sliceBytes: 64 * 1024 },
      '/datasets/Vicomtech/just-eval-instruct-fr/resolve/main/data/instructions.jsonl': { kind: 'file', body: FR },
      '/api/datasets/Vicomtech/just-eval-instruct-fr': {
        kind: 'file',
        body: Buffer.from(JSON.stringify({ id: 'Vicomtech/just-eval-instruct-fr', siblings: [{ rfilename: 'README.md' }, { rfilename: 'data/instructions.jsonl' }] })),
      },
      '/api/datasets/re-align/just-eval-instruct': {
        kind: 'file',
        body: Buffer.from(JSON.stringify({ siblings: ['test_all.jsonl', 'test_red.jsonl', 'README.md'].map((rfilename) => ({ rfilename })) })),
      },
      '/datasets/someone/gated/resolve/main/data.jsonl': { kind: 'status', status: 401 },
      '/datasets/someone/page/resolve/main/data.jsonl': { kind: 'html', body: '<!DOCTYPE html><html><body>Sign in to continue</body></html>' },
      // An HTML page sent as a data file (no text/html header): caught by its first bytes.
      '/datasets/someone/disguised/resolve/main/data.json': { kind: 'file', body: Buffer.from('\n<html><head><title>Login</title></head></html>') },
      '/datasets/someone/slow/resolve/main/data.jsonl': { kind: 'file', body: EN, sliceBytes: 1024, delayMs: 400 },
      '/datasets/someone/broken/resolve/main/data.jsonl': { kind: 'file', body: Buffer.from('{"id": 1, "instruction": "a"}\n{"id": 2, "instruction": \n') },
      '/files/just_eval.jsonl': { kind: 'file', body: EN },
      '/datasets/someone/pq/resolve/main/data/train-00000-of-00001.parquet': { kind: 'file', body: PARQUET },
    });
    temp = openTempStore();
    datasets = new DatasetsService(temp.store.datasets);
    dir = mkdtempSync(join(tmpdir(), 'align-dl-'));
  });
  afterAll(async () => {
    await server.close();
    temp.dispose();
  });

  it('downloads the English Just-Eval file and imports every item as a local import would', async () => {
    progress.length = 0;
    const d = await downloads().download('hf:re-align/just-eval-instruct/test_all_with_tags.jsonl', { lang: 'en', name: 'just-eval-instruct-en' });
    expect(d.name).toBe('just-eval-instruct-en');
    expect(d.format).toBe('jsonl');
    const stored = temp.store.datasets.items(d.id);
    const local = readDatasetFile(JUST_EVAL_EN).items;
    expect(stored).toHaveLength(1000);
    expect(stored.map((i) => [i.id, i.instruction, i.category])).toEqual(local.map((i) => [i.id, i.instruction, i.category]));
    // Kept under a content-addressed name, bytes identical; no temporary file left.
    expect(readFileSync(d.sourcePath)).toEqual(EN);
    expect(readdirSync(dir).filter((n) => n.includes('.part') || n.startsWith('.incoming'))).toEqual([]);
    // Progress: several steps up to the full size, then the import.
    const steps = progress.filter((p) => p.stage === 'downloading');
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.at(-1)).toMatchObject({ receivedBytes: EN.length, totalBytes: EN.length });
    expect(progress.at(-1)?.stage).toBe('importing');
  });

  it('links French as parallel items and finds the file of a repository named without one', async () => {
    const d = await downloads().download('hf:Vicomtech/just-eval-instruct-fr', { lang: 'fr', parallelWith: 'just-eval-instruct-en' });
    expect(d.name).toBe('just-eval-instruct-fr');
    expect(d.parallelGroup).not.toBeNull();
    expect(datasets.resolve('just-eval-instruct-en').parallelGroup).toBe(d.parallelGroup);
    expect(temp.store.datasets.items(d.id)[3]?.instruction).toMatch(/^\[fr\] /);
  });

  it('sends HF_TOKEN to the hub only, and says to set it on a 401', async () => {
    const hfToken = () => 'hf_secret';
    await expect(downloads({ hfToken }).download('hf:someone/gated/data.jsonl', { lang: 'en' })).rejects.toThrow(
      /hf:someone\/gated\/data\.jsonl: access refused \(HTTP 401\).*gated or private.*HF_TOKEN/,
    );
    expect(server.requests.at(-1)?.authorization).toBe('Bearer hf_secret');
    const d = await downloads({ hfToken }).download(server.url('/files/just_eval.jsonl'), { lang: 'en' });
    expect(d.name).toBe('just_eval');
    expect(server.requests.at(-1)?.authorization).toBeNull();
  });

  it('reports a missing dataset, a repository with several data files, and an HTML page', async () => {
    await expect(downloads().download('hf:someone/missing/data.jsonl', { lang: 'en' })).rejects.toThrow(/not found \(HTTP 404\)/);
    await expect(downloads().download('hf:someone/missing', { lang: 'en' })).rejects.toThrow(/no such dataset .*HTTP 404/);
    await expect(downloads().download('hf:re-align/just-eval-instruct', { lang: 'en' })).rejects.toThrow(
      /has 2 data files \(test_all\.jsonl, test_red\.jsonl\)\. Name one: hf:re-align\/just-eval-instruct\/<file>/,
    );
    await expect(downloads().download('hf:someone/page/data.jsonl', { lang: 'en' })).rejects.toThrow(/sent an HTML page, not a data file/);
    await expect(downloads().download('hf:someone/disguised/data.json', { lang: 'en' })).rejects.toThrow(/sent an HTML page/);
  });

  it('imports all or nothing: a bad line names file:line and keeps no file', async () => {
    const before = datasets.list().length;
    await expect(downloads().download('hf:someone/broken/data.jsonl', { lang: 'en' })).rejects.toThrow(/^data-[0-9a-f]{12}\.jsonl:2: invalid JSON/);
    expect(datasets.list()).toHaveLength(before);
    expect(readdirSync(dir).filter((n) => n.startsWith('data-'))).toEqual([]);
  });

  it('reads Parquet (Hugging Face\'s own format): the same items as the JSONL file, 64-bit ids included', async () => {
    const d = await downloads().download('hf:someone/pq/data/train-00000-of-00001.parquet', { lang: 'en', name: 'je-parquet' });
    expect(d.format).toBe('parquet');
    const fromParquet = temp.store.datasets.items(d.id).map((i) => [i.id, i.instruction, i.category]);
    expect(fromParquet).toEqual(readDatasetFile(JUST_EVAL_EN).items.slice(0, PARQUET_ROWS).map((i) => [i.id, i.instruction, i.category]));
  });

  it('gives up on a silent server (read timeout) and can be cancelled', async () => {
    await expect(downloads({ readTimeoutMs: 150 }).download('hf:someone/slow/data.jsonl', { lang: 'en' })).rejects.toThrow(
      /no data for 0\.15 s from 127\.0\.0\.1.*try again/,
    );
    const dl = downloads();
    const pending = dl.download('hf:someone/slow/data.jsonl', { lang: 'en' });
    await expect(dl.download('hf:someone/slow/data.jsonl', { lang: 'en' })).rejects.toThrow(/already being downloaded/);
    setTimeout(() => expect(dl.cancel('hf:someone/slow/data.jsonl')).toBe(true), 100);
    await expect(pending).rejects.toThrow(/cancelled/);
    expect(dl.cancel('hf:someone/slow/data.jsonl')).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.incoming') || n.endsWith('.part'))).toEqual([]);
    expect(existsSync(join(dir, 'data.jsonl'))).toBe(false);
  });
});
