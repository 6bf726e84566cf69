import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/api/createApi';
import { createServices } from '../../src/main/services/createServices';
import { getLlamaRuntime, inspectGguf, ModelFileError } from '../../src/main/core/inference';
import { REPO, STORIES, URIAL_DIR, VOCAB_PHI3 } from '../support/paths';

const dir = mkdtempSync(join(tmpdir(), 'aw-gguf-min-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A GGUF preamble: magic, version (u32), tensor count (u64), key/value count (u64), all little-endian. */
function preamble(version: number, tensors: bigint, kvs: bigint): Buffer {
  const b = Buffer.alloc(24);
  b.write('GGUF', 0, 'latin1');
  b.writeUInt32LE(version, 4);
  b.writeBigUInt64LE(tensors, 8);
  b.writeBigUInt64LE(kvs, 16);
  return b;
}

async function problem(path: string): Promise<ModelFileError> {
  const err = await inspectGguf(path, await getLlamaRuntime('cpu')).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ModelFileError);
  return err as ModelFileError;
}

describe('the minimum GGUF check', () => {
  it('refuses a 4-byte file holding only "GGUF" (it used to be added as vocab-only)', async () => {
    const err = await problem(file('four.gguf', 'GGUF'));
    expect(err.problem).toBe('truncated');
    expect(err.message).toMatch(/four\.gguf: the GGUF header is cut short: 4 bytes, a header needs at least 24/);
  });

  it.each([0, 1, 99])('refuses GGUF version %i (llama.cpp reads versions 2 and 3)', async (version) => {
    const err = await problem(file(`v${version}.gguf`, preamble(version, 0n, 0n)));
    expect(err.problem).toBe('not-gguf');
    expect(err.message).toMatch(new RegExp(`unsupported GGUF version ${version}`));
  });

  it('refuses a header announcing key/value pairs the file does not hold', async () => {
    const err = await problem(file('nokv.gguf', preamble(3, 0n, 5n)));
    expect(['truncated', 'unreadable']).toContain(err.problem);
    expect(err.message).toMatch(/truncated|cut short/);
  });

  it('refuses a vocab-only GGUF cut inside its metadata', async () => {
    const whole = readFileSync(VOCAB_PHI3);
    const err = await problem(file('phi3-cut.gguf', whole.subarray(0, Math.floor(whole.length / 2))));
    expect(['truncated', 'unreadable']).toContain(err.problem);
  });

  it('still accepts a complete vocab-only GGUF and a complete model', async () => {
    const llama = await getLlamaRuntime('cpu');
    expect((await inspectGguf(VOCAB_PHI3, llama)).summary.runnable).toBe(false);
    expect((await inspectGguf(STORIES, llama)).summary.runnable).toBe(true);
  });

  it('names a symbolic link loop as such, not "file not found"', async () => {
    const a = join(dir, 'loop-a.gguf');
    const b = join(dir, 'loop-b.gguf');
    symlinkSync(b, a);
    symlinkSync(a, b);
    const err = await problem(a);
    expect(err.problem).toBe('not-a-file');
    expect(err.message).toMatch(/symbolic link loop/);
    expect(err.message).not.toMatch(/not found/);
  });

  it('refuses the 4-byte file through a folder scan too', async () => {
    const scan = join(dir, 'scan');
    mkdirSync(scan);
    copyFileSync(STORIES, join(scan, 'stories.gguf'));
    writeFileSync(join(scan, 'four.gguf'), 'GGUF');
    const workbench = createServices({ dataDir: join(dir, 'data'), resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
    const api = createApi(workbench, { transport: 'http' });
    try {
      const r = await api.handle('models.scan', { folder: scan });
      if (!r.ok) throw new Error(r.error.message);
      const result = r.result as { added: { name: string }[]; failed: { path: string; message: string }[] };
      expect(result.added.map((m) => m.name)).toEqual(['stories']);
      expect(result.failed.map((f) => f.path)).toEqual([join(scan, 'four.gguf')]);
      expect(result.failed[0]!.message).toMatch(/cut short/);
    } finally {
      await api.shutdown();
      await workbench.close();
    }
  });
});
