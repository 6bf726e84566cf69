import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, readDatasetFile } from '../../../src/main/core/datasets';
import { caught, scratchDir } from './tmpFiles';

const tmp = scratchDir();
afterAll(() => tmp.cleanup());

/** Writes raw bytes next to the scratch files (the helper writes UTF-8 text only). */
function writeBytes(name: string, bytes: Buffer): string {
  const file = tmp.write(name, '');
  writeFileSync(file, bytes);
  return file;
}

const row = (id: number, instruction: string): string => JSON.stringify({ id, instruction });

describe('strict UTF-8 decoding of dataset files', () => {
  it('refuses an invalid byte with file:line:column and a fix instead of importing U+FFFD', () => {
    // Line 2, column 15: a Latin-1 "é" (0xE9) in a file otherwise UTF-8, the usual cause.
    const good = Buffer.from(row(1, 'Say hello.') + '\n', 'utf8');
    const bad = Buffer.concat([Buffer.from('{"id":2,"inst', 'utf8'), Buffer.from([0x72, 0xe9]), Buffer.from('uction":"x"}\n')]);
    const file = writeBytes('latin1.jsonl', Buffer.concat([good, bad]));
    const err = caught(() => readDatasetFile(file));
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).line).toBe(2);
    expect(err.message).toContain('latin1.jsonl:2');
    expect(err.message).toMatch(/column 15/);
    expect(err.message).toMatch(/not valid UTF-8/);
    expect(err.message).toMatch(/re-save .*UTF-8/i);
  });

  it('counts the column in characters, not bytes, when valid multi-byte text comes first', () => {
    // "ééé" is 6 bytes but 3 characters: the bad byte is character 4 on line 1.
    const file = writeBytes('multi.jsonl', Buffer.concat([Buffer.from('ééé', 'utf8'), Buffer.from([0xff])]));
    expect(caught(() => readDatasetFile(file)).message).toMatch(/multi\.jsonl:1: .*column 4/);
  });

  it('refuses a truncated multi-byte sequence at the end of the file', () => {
    const file = writeBytes('cut.jsonl', Buffer.concat([Buffer.from(row(1, 'caf') + '\n'), Buffer.from([0xc3])]));
    expect(caught(() => readDatasetFile(file)).message).toMatch(/cut\.jsonl:2: .*column 1/);
  });

  it.each([
    ['UTF-16 LE', Buffer.from([0xff, 0xfe]), 'utf16le'],
    ['UTF-16 BE', Buffer.from([0xfe, 0xff]), 'utf16be'],
    ['UTF-32 LE', Buffer.from([0xff, 0xfe, 0x00, 0x00]), 'utf32le'],
    ['UTF-32 BE', Buffer.from([0x00, 0x00, 0xfe, 0xff]), 'utf32be'],
  ])('names %s (detected by its byte-order mark) and says to re-save as UTF-8', (name, bom) => {
    const file = writeBytes(`bom-${name.replace(/\W/g, '')}.jsonl`, Buffer.concat([bom, Buffer.from('{}', 'utf8')]));
    const err = caught(() => readDatasetFile(file));
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toContain(`encoded as ${name}`);
    expect(err.message).toMatch(/re-save .*UTF-8/i);
  });

  it('still accepts UTF-8 with a BOM and keeps non-ASCII text intact', () => {
    const file = writeBytes('bom8.jsonl', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(row(1, 'Où est la gare ?') + '\n')]));
    expect(readDatasetFile(file).items[0]?.instruction).toBe('Où est la gare ?');
  });
});

describe('JSON nesting depth', () => {
  const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

  it('refuses a JSONL row nested 5,000 levels with file:line instead of a stack overflow', () => {
    const file = tmp.write('deep.jsonl', `${row(1, 'ok')}\n{"id":2,"instruction":"x","meta":${deep(5000)}}\n`);
    const err = caught(() => readDatasetFile(file));
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/^deep\.jsonl:2: .*nested/);
    expect(err.message).not.toMatch(/call stack/);
  });

  it('refuses a JSON array element nested 5,000 levels on the element line', () => {
    const file = tmp.write('deep.json', `[\n${row(1, 'ok')},\n{"id":2,"instruction":"x","meta":${deep(5000)}}\n]\n`);
    const err = caught(() => readDatasetFile(file));
    expect(err.message).toMatch(/^deep\.json:3: .*nested/);
  });

  it('accepts ordinary nesting (metadata a few levels deep)', () => {
    const file = tmp.write('nested.jsonl', `{"id":1,"instruction":"x","meta":${deep(20)}}\n`);
    expect(readDatasetFile(file).items).toHaveLength(1);
  });

  it('stores rows that pass the check: JSON.stringify of the deepest accepted row does not overflow', () => {
    const file = tmp.write('edge.jsonl', `{"id":1,"instruction":"x","meta":${deep(99)}}\n`);
    const items = readDatasetFile(file).items;
    expect(() => JSON.stringify(items)).not.toThrow();
  });
});

