import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PromptSpec } from '../../../src/main/core/prompting/PromptMethod';
import { cleanOutput } from '../../../src/main/core/prompting/cleanOutput';
import { resolveUrialPromptFile } from '../../../src/main/core/prompting/resolveUrialPromptFile';
import { createUrialMethod } from '../../../src/main/core/prompting/urial';
import { OFFICIAL_DIR, RESOURCES_DIR, item } from './fixtures';

const dirs = { officialDir: OFFICIAL_DIR, resourcesDir: RESOURCES_DIR };
const urial = createUrialMethod(dirs);

function completion(spec: PromptSpec): Extract<PromptSpec, { kind: 'completion' }> {
  if (spec.kind !== 'completion') throw new Error(`expected a completion spec, got ${spec.kind}`);
  return spec;
}

function expectPrefixInvariant(spec: Extract<PromptSpec, { kind: 'completion' }>): void {
  expect(spec.text.slice(0, spec.prefix.length)).toBe(spec.prefix);
}

describe('urial method', () => {
  const v4Path = join(OFFICIAL_DIR, 'inst_1k_v4.txt');
  const v4 = readFileSync(v4Path, 'utf8');

  it('builds exactly the reference prompt for inst_1k_v4', () => {
    const prepared = urial.prepare({ method: 'urial', promptFile: v4Path });
    const instr = 'How do I make a paper airplane?';
    const spec = completion(prepared.build(item(instr)));
    expect(spec.text).toBe(v4 + '\n# Query:\n```\n' + instr + '\n```\n\n# Answer:\n```\n');
    expect(spec.stop).toEqual(['# Query', '# User']);
    expect(spec.clean).toBe('urial');
    expectPrefixInvariant(spec);
    // The prefix stops right before the instruction: everything shared by all items.
    expect(spec.prefix).toBe(v4 + '\n# Query:\n```\n');
  });

  it('gives the same prefix to different items', () => {
    const prepared = urial.prepare({ method: 'urial', promptFile: v4Path });
    const a = completion(prepared.build(item('First question?', '1')));
    const b = completion(prepared.build(item('Une tout autre demande, avec $& et ``` dedans', '2')));
    expect(a.prefix).toBe(b.prefix);
    expectPrefixInvariant(a);
    expectPrefixInvariant(b);
    expect(b.text).toBe(b.prefix + 'Une tout autre demande, avec $& et ``` dedans\n```\n\n# Answer:\n```\n');
  });

  it('defaults to the official inst_1k_v4 for English', () => {
    const prepared = urial.prepare({ method: 'urial' });
    expect(prepared.describe()).toEqual({
      promptFile: v4Path,
      promptSha256: createHash('sha256').update(readFileSync(v4Path)).digest('hex'),
      promptStyle: 'query-answer',
      promptTemplate: 'urial-backticks',
      examples: '3',
    });
  });

  it('appends to inst_1k as it is, without a final newline, as the reference does', () => {
    const path = join(OFFICIAL_DIR, 'inst_1k.txt');
    const file = readFileSync(path, 'utf8');
    expect(file.endsWith('```')).toBe(true);
    const spec = completion(urial.prepare({ method: 'urial', promptFile: path }).build(item('Q?')));
    expect(spec.text).toBe(file + '\n# Query:\n```\nQ?\n```\n\n# Answer:\n```\n');
  });

  it('keeps the trailing spaces of inst_2k, as the reference does', () => {
    const path = join(OFFICIAL_DIR, 'inst_2k.txt');
    const file = readFileSync(path, 'utf8');
    const spec = completion(urial.prepare({ method: 'urial', promptFile: path }).build(item('Q?')));
    expect(spec.text).toBe(file + '\n# Query:\n```\nQ?\n```\n\n# Answer:\n```\n');
    expect(urial.prepare({ method: 'urial', promptFile: path }).describe().examples).toBe('8');
  });

  it('assembles the # User: style with the reference v6 template and stops at # User and # Query', () => {
    const path = join(OFFICIAL_DIR, 'inst_help_v6-1k.txt');
    const file = readFileSync(path, 'utf8');
    const prepared = urial.prepare({ method: 'urial', promptFile: path });
    const spec = completion(prepared.build(item('\nName three rivers.\n')));
    // v6 strips newlines around the instruction.
    expect(spec.text).toBe(file + '\n\n# User:\nName three rivers.\n\n\n# Assistant:\n');
    expect(spec.stop).toEqual(['# Query', '# User']);
    expectPrefixInvariant(spec);
    expect(spec.prefix).toBe(file + '\n\n# User:\n');
    expect(prepared.describe().promptStyle).toBe('user-assistant');
    expect(prepared.describe().promptTemplate).toBe('urial-v6');
    expect(prepared.describe().examples).toBe('3');
  });

  it('resolves a relative promptFile against the working directory', () => {
    const rel = relative(process.cwd(), v4Path);
    expect(urial.prepare({ method: 'urial', promptFile: rel }).describe().promptFile).toBe(v4Path);
  });

  it('names the path of a missing prompt file and what to do', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'inst_missing.txt');
    expect(() => urial.prepare({ method: 'urial', promptFile: missing })).toThrowError(
      new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Check that the file exists`),
    );
  });

  it('names the path of a file that is not a URIAL prompt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'urial-'));
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'hello\n');
    expect(() => urial.prepare({ method: 'urial', promptFile: path })).toThrowError(path);
  });

  it('normalises CRLF and a BOM in hand-edited files, but hashes the bytes on disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'urial-'));
    const path = join(dir, 'crlf.txt');
    const bytes = Buffer.from('\uFEFF' + v4.replace(/\n/g, '\r\n'), 'utf8');
    writeFileSync(path, bytes);
    const prepared = urial.prepare({ method: 'urial', promptFile: path });
    expect(completion(prepared.build(item('Q?'))).text).toBe(v4 + '\n# Query:\n```\nQ?\n```\n\n# Answer:\n```\n');
    expect(prepared.describe().promptSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('explains that a prompt file is needed when no shipped folders are configured', () => {
    expect(() => createUrialMethod().prepare({ method: 'urial' })).toThrowError(/needs a prompt file/);
  });

  it('cleans a typical URIAL output', () => {
    expect(cleanOutput('Hello! Here you go.\n```\n\n', 'urial')).toBe('Hello! Here you go.');
  });
});

describe('resolveUrialPromptFile', () => {
  it('maps en to the official folder and fr/es to our resources', () => {
    expect(resolveUrialPromptFile('en', dirs)).toBe(join(OFFICIAL_DIR, 'inst_1k_v4.txt'));
    expect(resolveUrialPromptFile('fr', dirs)).toBe(join(RESOURCES_DIR, 'prompts', 'urial', 'inst_1k_v4.fr.txt'));
    expect(resolveUrialPromptFile('es', dirs)).toBe(join(RESOURCES_DIR, 'prompts', 'urial', 'inst_1k_v4.es.txt'));
  });

  it('asks for the official folder when English has none', () => {
    expect(() => resolveUrialPromptFile('en', { resourcesDir: RESOURCES_DIR })).toThrowError(
      /official URIAL files is not configured/,
    );
  });

  it('lists the available languages for an unknown one', () => {
    expect(() => resolveUrialPromptFile('xx', dirs)).toThrowError(/"xx".*Available: en, es, fr/);
  });
});
