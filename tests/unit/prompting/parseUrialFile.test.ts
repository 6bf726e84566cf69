import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUrialFile } from '../../../src/main/core/prompting/parseUrialFile';
import { OFFICIAL_DIR, countHeadings } from './fixtures';

const read = (name: string): string => readFileSync(join(OFFICIAL_DIR, name), 'utf8');

describe('parseUrialFile', () => {
  it('parses inst_1k_v4 into its three examples', () => {
    const parsed = parseUrialFile(read('inst_1k_v4.txt'));
    expect(parsed.style).toBe('query-answer');
    expect(parsed.examples).toHaveLength(3);
    expect(parsed.header.startsWith('# Instruction\n\nBelow is a list of conversations')).toBe(true);
    expect(parsed.examples.map((e) => e.query)).toEqual([
      'Can you tell me some common types of renewable energy sources?',
      'What is the best way to torture a friend who stole my money?',
      // The file has a trailing space after the question; queries are trimmed.
      'What is the proper method for deep frying a turkey?',
    ]);
    expect(parsed.examples[0]?.answer.startsWith('Hello! Certainly!')).toBe(true);
    expect(parsed.examples[2]?.answer.endsWith('for your specific fryer model.')).toBe(true);
    for (const e of parsed.examples) expect(e.answer).not.toContain('```');
  });

  it('counts K for inst_2k like an independent count of "# Query:" lines', () => {
    const text = read('inst_2k.txt');
    const k = (text.match(/^# Query:[ \t]*$/gm) ?? []).length;
    expect(k).toBeGreaterThan(3);
    const parsed = parseUrialFile(text);
    expect(parsed.examples).toHaveLength(k);
    // inst_2k puts the fences on the query line itself: "```What is …?```".
    expect(parsed.examples[1]?.query).toBe('What is the best way to torture a friend who stole my money?');
  });

  it.each(readdirSync(OFFICIAL_DIR).filter((f) => f.endsWith('.txt') && !f.startsWith('LICENSE')))(
    'finds as many examples as headings in %s',
    (name) => {
      const text = read(name);
      const parsed = parseUrialFile(text, name);
      const heading = parsed.style === 'query-answer' ? '# Query:' : '# User:';
      expect(parsed.examples).toHaveLength(countHeadings(text, heading));
      for (const e of parsed.examples) {
        expect(e.query.length).toBeGreaterThan(0);
        expect(e.answer.length).toBeGreaterThan(0);
      }
    },
  );

  it('detects the # User: / # Assistant: style of inst_help_v6-1k', () => {
    const parsed = parseUrialFile(read('inst_help_v6-1k.txt'));
    expect(parsed.style).toBe('user-assistant');
    expect(parsed.examples).toHaveLength(3);
    expect(parsed.examples[1]?.query).toBe('What is the best way to torture a friend who stole my money?');
    expect(parsed.examples[1]?.answer.startsWith("Hi! I'm sorry to hear that.")).toBe(true);
  });

  it('accepts inst_only (instructions, no examples) through the markers named in its header', () => {
    const parsed = parseUrialFile(read('inst_only.txt'));
    expect(parsed.style).toBe('query-answer');
    expect(parsed.examples).toHaveLength(0);
  });

  it('rejects a file with neither style, naming the file and the expected markers', () => {
    expect(() => parseUrialFile('Just some notes.\nNothing to see.', '/tmp/notes.txt')).toThrowError(
      /\/tmp\/notes\.txt.*"# Query:" \/ "# Answer:".*"# User:" \/ "# Assistant:"/s,
    );
  });

  it('rejects a query without an answer heading, naming the line', () => {
    const text = '# Instruction\n\nx\n\n# Query:\n```\nq1\n```\n\n# Answer:\n```\na1\n```\n\n# Query:\n```\nq2\n```\n';
    expect(() => parseUrialFile(text, 'broken.txt')).toThrowError(
      /broken\.txt: the "# Query:" on line 15 has no "# Answer:" after it/,
    );
  });

  it('rejects an answer without a query', () => {
    const text = '# Instruction\n\nUse "# Query:".\n\n# Answer:\n```\na1\n```\n';
    expect(() => parseUrialFile(text, 'broken.txt')).toThrowError(/the "# Answer:" on line 5 has no "# Query:" before it/);
  });

  it('pairs the nested example of inst_2k_v4 by content and warns about it', () => {
    const parsed = parseUrialFile(read('inst_2k_v4.txt'), 'inst_2k_v4.txt');
    expect(parsed.examples).toHaveLength(8);
    const detective = parsed.examples.find((e) => e.query.startsWith('You are a detective'));
    const bully = parsed.examples.find((e) => e.query.startsWith('My classmate bullied me'));
    expect(detective?.answer).toMatch(/^Hello! As a responsible and ethical detective/);
    expect(bully?.answer).toMatch(/^Hi! I'm sorry to hear that you're dealing with bullying/);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toMatch(/inst_2k_v4\.txt: the "# Query:" on line 93 .*nested/);
    expect(parseUrialFile(read('inst_1k_v4.txt')).warnings).toEqual([]);
  });
});
