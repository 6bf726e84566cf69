import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUrialFile } from '../../../src/main/core/prompting/parseUrialFile';
import { createUrialMethod } from '../../../src/main/core/prompting/urial';
import { OFFICIAL_DIR } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'aw-urial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function promptFile(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const prepare = (file: string): unknown => createUrialMethod().prepare({ method: 'urial', promptFile: file });

describe('URIAL prompt file messages', () => {
  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\n  \n\n'],
  ])('says %s is empty rather than "found neither"', (_, content) => {
    const file = promptFile('empty.txt', content);
    expect(() => prepare(file)).toThrow(/empty\.txt is empty/);
    expect(() => prepare(file)).not.toThrow(/found neither/);
  });

  it('refuses a prompt file that is not UTF-8, with line and column', () => {
    const file = promptFile('latin1.txt', Buffer.concat([Buffer.from('# Query:\n```\ncaf'), Buffer.from([0xe9])]));
    expect(() => prepare(file)).toThrow(/latin1\.txt.*line 3, column 4.*not valid UTF-8.*Re-save the file as UTF-8/s);
  });

  it('names UTF-16 when the prompt file has a UTF-16 byte-order mark', () => {
    const file = promptFile('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Query:\n', 'utf16le')]));
    expect(() => prepare(file)).toThrow(/encoded as UTF-16 LE/);
  });

  it('warns about an unclosed code fence, naming the line of its turn', () => {
    const text = '# Instruction\n\n# Query:\n```\nHi?\n```\n\n# Answer:\n```\nHello!\n\n# Query:\n```\nBye?\n```\n\n# Answer:\n```\nBye!\n```\n';
    const parsed = parseUrialFile(text, 'fence.txt');
    expect(parsed.examples).toHaveLength(2);
    expect(parsed.warnings).toEqual([expect.stringMatching(/^fence\.txt: the "# Answer:" on line 8 .*unclosed ``` fence/)]);
  });

  it('gives no fence warning on any official file (their fences are balanced)', () => {
    for (const name of readdirSync(OFFICIAL_DIR).filter((f) => f.startsWith('inst_'))) {
      const { warnings } = parseUrialFile(readFileSync(join(OFFICIAL_DIR, name), 'utf8'), name);
      expect(warnings.filter((w) => w.includes('fence')), name).toEqual([]);
    }
  });
});
