/** Shapes met in real answers (issue 13), written by us: unfenced code, URIAL fences, pictures, runaway lists. */
import { describe, expect, it } from 'vitest';
import { codeDetector } from '../../../src/main/core/detectors/codeDetector';
import { fenceLayout, splitLines } from '../../../src/main/core/detectors/fences';
import { loopDetector } from '../../../src/main/core/detectors/loopDetector';
import { input } from './fixtures';

const code = (raw: string, over = {}) => codeDetector.detect(input(raw, { taskTypes: ['info-seek'], ...over }), codeDetector.defaultSettings);
const loop = (raw: string, over = {}) => loopDetector.detect(input(raw, over), loopDetector.defaultSettings);
const labels = (r: { findings: { label: string }[] }) => r.findings.map((f) => f.label);

describe('code leakage on real shapes', () => {
  it('finds a bare JSON object and a bare JSON array of objects', () => {
    const obj = 'Here is the data you need:\n{\n  "name": "Ada",\n  "born": 1815\n}';
    const r = code(obj);
    expect(labels(r)).toEqual(['code-leak']);
    expect(r.signals.bareJson).toBe(1);
    expect(obj.slice(r.findings[0]!.evidence.spans[0]!.start)).toMatch(/^\{/);
    expect(labels(code('The results:\n[\n  {"id": 1},\n  {"id": 2}\n]'))).toEqual(['code-leak']);
    // Brackets in prose are not JSON.
    expect(labels(code('The list [1] is cited in the paper.\n{see the appendix}'))).toEqual([]);
  });

  it('finds bare SQL statements, shell commands and HTML', () => {
    expect(labels(code('You can query it like this:\nSELECT name, age\nFROM users\nWHERE age > 30\nORDER BY age;'))).toEqual(['code-leak']);
    expect(labels(code('Install it first:\nsudo apt-get install nginx\nsudo systemctl start nginx\ncurl -I http://localhost\nmkdir -p /var/www/site'))).toEqual(['code-leak']);
    expect(labels(code('Use this page:\n<html>\n<body>\n<h1>Hello</h1>\n</body>\n</html>'))).toEqual(['code-leak']);
  });

  it('finds code written after prose, even when the prose is long', () => {
    const prose = 'Sorting a list is a common task that every programmer meets early on in their career.\n'.repeat(12);
    const raw = `${prose}\ndef sort_list(items):\n    items = sorted(items)\n    return items\n\nprint(sort_list([3, 1, 2]))`;
    const r = code(raw);
    expect(labels(r)).toEqual(['code-leak']);
    expect(r.signals.codeRun as number).toBeGreaterThanOrEqual(4);
  });

  it('does not call maths equations code', () => {
    const maths = 'Let us expand it:\njk = (2m + 1)(2n + 1)\njk = 4mn + 2m + 2n + 1\ns = (0 + 1)^2 + (3 + 3)^2 = 1 + 9 = 10\nArea = √(s(s - a)(s - b)(s - c))';
    expect(labels(code(maths))).toEqual([]);
  });

  it('exempts coding tasks and instructions that ask for a format; says "task type unknown" without task types', () => {
    const json = 'Here it is:\n```json\n{"country": "Denmark", "capital": "Copenhagen"}\n```';
    expect(labels(code(json, { taskTypes: ['coding'] }))).toEqual([]);
    expect(labels(code(json, { instruction: 'Identify the countries. Output in JSON format.' }))).toEqual([]);
    const unknown = code(json, { taskTypes: null });
    expect(unknown.findings[0]!.evidence.note).toMatch(/task type unknown/);
  });

  it('reads a raw URIAL output that starts inside the answer fence: the prose after the closing fence is not code', () => {
    const raw = 'The capital of France is Paris.\nIt has been the capital for centuries.\n```\n\nParis is also the largest city of France.\nIt is known for its museums.';
    const layout = fenceLayout(splitLines(raw));
    expect(layout.startedInside).toBe(true);
    expect(layout.blocks).toEqual([]);
    expect(labels(code(raw))).toEqual([]);
  });

  it('pairs fences normally when the odd fence is URIAL\'s trailing closer', () => {
    const raw = 'Example:\n```\n#include <stdio.h>\nint main() {\n  return 0;\n}\n```\n```';
    const layout = fenceLayout(splitLines(raw));
    expect(layout.startedInside).toBe(false);
    expect(layout.blocks).toEqual([{ open: 1, close: 6, tag: '' }]);
  });
});

describe('loops on real shapes', () => {
  it('does not flag a Braille or ASCII picture (rows of one repeated symbol)', () => {
    const braille = `Here is a picture:\n\`\`\`\n${'⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿\n'.repeat(20)}\`\`\``;
    const r = loop(braille);
    expect(labels(r)).toEqual([]);
    const box = `A cat:\n${'┌─┐┌─┐┌─┐┌─┐┌─┐┌─┐\n└─┘└─┘└─┘└─┘└─┘└─┘\n'.repeat(15)}`;
    expect(loop(box).signals.picture).toBe(true);
    expect(labels(loop(box))).toEqual([]);
  });

  it('flags a picture that runs away for thousands of characters', () => {
    expect(labels(loop(`A cat:\n${'┌─┐┌─┐┌─┐┌─┐┌─┐┌─┐\n└─┘└─┘└─┘└─┘└─┘└─┘\n'.repeat(120)}`))).toEqual(['infinite-loop']);
  });

  it('does not flag a table or a short enumeration with a repeated shape', () => {
    const table = '| Day | Task |\n|---|---|\n' + ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((d, i) => `| ${d} | Task number ${i + 1} |`).join('\n');
    expect(labels(loop(table))).toEqual([]);
    const list = Array.from({ length: 8 }, (_, i) => `${i + 1}. Step ${i + 1}: check the item and write it down.`).join('\n');
    expect(labels(loop(list))).toEqual([]);
  });

  it('flags a runaway list (many items over thousands of characters) unless the instruction asked for that many', () => {
    const items = Array.from({ length: 70 }, (_, i) => `${i + 1}. **Place ${i + 1}**: a lovely place with a view of the river, good food, quiet streets and friendly people in the old town, number ${i}.`).join('\n\n');
    expect(items.length).toBeGreaterThan(8000);
    const r = loop(items);
    expect(labels(r)).toEqual(['infinite-loop']);
    expect(r.signals.runawayItems).toBe(70);
    // Asked for 70: the list rule stands down (these templated items still trip rep-4, a separate rule).
    expect(loop(items, { instruction: 'List 70 places to visit.' }).signals.runawayItems).toBeNull();
  });

  it('flags repeated tokens and a degenerate symbol run', () => {
    expect(labels(loop(`The link is https://example.com/p/3U6${'Kj'.repeat(900)}`))).toEqual(['infinite-loop']);
    expect(labels(loop(`Atoms: 1${'0'.repeat(1600)}`))).toEqual(['infinite-loop']);
    expect(labels(loop(`Sudoku:\n${'|  | |  |  | | |  |\n'.repeat(10)}${Array.from({ length: 150 }, (_, i) => '|  '.repeat(1 + (i % 3)) + '| |').join(' ')}`))).toEqual(['infinite-loop']);
  });
});
