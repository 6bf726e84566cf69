import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/main/services/errors';
import { readDatasetFile } from '../../../src/main/core/datasets';
import { apiErrorCodeOf, Conflict, ERROR_STATUS, InputError, NotFound, TooLarge } from '../../../src/shared/errors';
import { ModelFileError } from '../../../src/main/core/inference/llama/inspectGguf';
import { createUrialMethod } from '../../../src/main/core/prompting/urial';

const dir = mkdtempSync(join(tmpdir(), 'aw-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

describe('the error taxonomy (core/errors)', () => {
  it('gives each kind its code and HTTP status', () => {
    expect([new InputError('x'), new NotFound('x'), new Conflict('x'), new TooLarge('x'), new Error('x')].map(apiErrorCodeOf)).toEqual([
      'invalid_input',
      'not_found',
      'conflict',
      'too_large',
      'failed',
    ]);
    expect(ERROR_STATUS).toMatchObject({ invalid_input: 422, not_found: 404, conflict: 409, too_large: 413, failed: 500 });
  });

  it('classes a bad dataset file (missing, invalid UTF-8, bad JSON) as invalid input, not a server fault', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": 1,\n');
    const latin1 = join(dir, 'latin1.jsonl');
    writeFileSync(latin1, Buffer.from([0x7b, 0xe9, 0x7d]));
    for (const path of [bad, latin1, join(dir, 'missing.jsonl')]) {
      expect(apiErrorCodeOf(thrown(() => readDatasetFile(path))), path).toBe('invalid_input');
    }
  });

  it('classes a bad model file and an unreadable URIAL prompt as invalid input', () => {
    expect(apiErrorCodeOf(new ModelFileError('/m.gguf', 'not a GGUF file', 'not-gguf'))).toBe('invalid_input');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    expect(apiErrorCodeOf(thrown(() => createUrialMethod().prepare({ method: 'urial', promptFile: empty })))).toBe('invalid_input');
    expect(apiErrorCodeOf(thrown(() => createUrialMethod().prepare({ method: 'urial', promptFile: join(dir, 'none.txt') })))).toBe('invalid_input');
  });

  it("the services' NotFoundError is the NotFound kind: a 404", () => {
    expect(apiErrorCodeOf(new NotFoundError('No run with id 3.'))).toBe('not_found');
  });
});
