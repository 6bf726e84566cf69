import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGgufFiles } from '../../../src/main/core/models/findGgufFiles';

describe('findGgufFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds *.gguf recursively (any case), sorted, following folder links once', async () => {
    mkdirSync(join(dir, 'qwen', 'q4'), { recursive: true });
    mkdirSync(join(dir, '.cache'));
    writeFileSync(join(dir, 'a.gguf'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    writeFileSync(join(dir, 'qwen', 'q4', 'B.GGUF'), 'x');
    writeFileSync(join(dir, 'qwen', 'model.gguf.part'), 'x');
    writeFileSync(join(dir, '.cache', 'hidden.gguf'), 'x');
    // A cycle (qwen/loop → the root) and a dangling link must not hang or fail the scan.
    symlinkSync(dir, join(dir, 'qwen', 'loop'));
    symlinkSync(join(dir, 'nowhere.gguf'), join(dir, 'dangling.gguf'));
    const { files, truncated } = await findGgufFiles(dir);
    expect(files).toEqual([join(dir, 'a.gguf'), join(dir, 'qwen', 'q4', 'B.GGUF')]);
    expect(truncated).toBe(false);
  });

  it('reports a symbolic link loop named like a model instead of dropping it silently', async () => {
    const loops = join(dir, 'loops');
    mkdirSync(loops);
    symlinkSync(join(loops, 'b.gguf'), join(loops, 'a.gguf'));
    symlinkSync(join(loops, 'a.gguf'), join(loops, 'b.gguf'));
    const { files, skipped } = await findGgufFiles(loops);
    expect(files).toEqual([]);
    expect(skipped).toEqual([
      { path: join(loops, 'a.gguf'), reason: 'ELOOP (symbolic link loop)' },
      { path: join(loops, 'b.gguf'), reason: 'ELOOP (symbolic link loop)' },
    ]);
  });

  it('says which folder it cannot read', async () => {
    await expect(findGgufFiles(join(dir, 'missing'))).rejects.toThrow(/Cannot read the folder .*missing: ENOENT/);
  });
});
