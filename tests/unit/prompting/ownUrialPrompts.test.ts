import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUrialFile } from '../../../src/main/core/prompting/parseUrialFile';
import { listUrialPromptLangs, resolveUrialPromptFile } from '../../../src/main/core/prompting/resolveUrialPromptFile';
import { createUrialMethod } from '../../../src/main/core/prompting/urial';
import { OFFICIAL_DIR, RESOURCES_DIR, countHeadings, item } from './fixtures';

const dirs = { officialDir: OFFICIAL_DIR, resourcesDir: RESOURCES_DIR };
const official = readFileSync(resolveUrialPromptFile('en', dirs), 'utf8');

describe.each(['fr', 'es'])('our URIAL prompt (%s)', (lang) => {
  const path = resolveUrialPromptFile(lang, dirs);
  const text = readFileSync(path, 'utf8');

  it('has three examples in the official structure', () => {
    const parsed = parseUrialFile(text, path);
    expect(parsed.style).toBe('query-answer');
    expect(parsed.examples).toHaveLength(3);
    expect(countHeadings(text, '# Query:')).toBe(3);
    expect(countHeadings(text, '# Answer:')).toBe(3);
    // Factual answer with a numbered list, refusal, how-to with numbered steps.
    expect(parsed.examples[0]?.answer).toMatch(/^1\. .*\n\n2\. /m);
    expect(parsed.examples[2]?.answer).toMatch(/^1\. .*\n2\. /m);
    expect(text.endsWith('```\n')).toBe(true);
    expect(text).not.toContain('\r');
    // Similar size to the official file.
    expect(Buffer.byteLength(text)).toBeGreaterThan(3500);
    expect(Buffer.byteLength(text)).toBeLessThan(6500);
  });

  it('is written in the language, with no English preamble left', () => {
    expect(text).not.toContain('# Instruction\n');
    expect(text).not.toMatch(/Below is a list|helpful, respectful|You are a/);
    // No sentence of the official file copied over.
    for (const line of official.split('\n').filter((l) => l.length > 40)) expect(text).not.toContain(line);
  });

  it('builds a prompt the same way as the official file', () => {
    const prepared = createUrialMethod(dirs).prepare({ method: 'urial', promptLang: lang });
    const spec = prepared.build(item('¿Qué hora es? / Quelle heure est-il ?'));
    if (spec.kind !== 'completion') throw new Error('expected completion');
    expect(spec.text).toBe(text + '\n# Query:\n```\n¿Qué hora es? / Quelle heure est-il ?\n```\n\n# Answer:\n```\n');
    expect(spec.text.slice(0, spec.prefix.length)).toBe(spec.prefix);
    expect(spec.stop).toEqual(['# Query', '# User']);
    expect(prepared.describe()).toMatchObject({ promptFile: path, promptStyle: 'query-answer', examples: '3' });
  });
});

it('lists the shipped languages', () => {
  expect(listUrialPromptLangs(dirs)).toEqual(['en', 'es', 'fr']);
  expect(listUrialPromptLangs({ resourcesDir: RESOURCES_DIR })).toEqual(['es', 'fr']);
});
