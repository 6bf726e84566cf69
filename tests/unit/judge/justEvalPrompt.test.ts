import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildJustEvalPrompt, JUST_EVAL_SYSTEM_MESSAGE, loadJustEvalTemplates, type JustEvalMode } from '../../../src/main/core/judge/justEval/justEvalTemplates';
import { readPythonStringConstant } from '../../../src/main/core/judge/justEval/readPythonStringConstant';
import { substitutePythonTemplate } from '../../../src/main/core/judge/justEval/substitutePythonTemplate';

const JUST_EVAL = join(__dirname, '../../../../shared/data/just_eval');
const TEMPLATES = join(JUST_EVAL, 'judge_templates');

interface JudgeRecord {
  id: number;
  input: string;
  output_cand: string;
  eval_config: { mode: JustEvalMode };
  prompt: string;
}

const judgeFiles = [
  ...readdirSync(join(JUST_EVAL, 'eval_outputs_examples')).filter((f) => /score_(multi|safety)/.test(f) && !f.includes('eval_res')).map((f) => join('eval_outputs_examples', f)),
  ...readdirSync(join(JUST_EVAL, 'leaderboard_dev')).filter((f) => f.includes('.score_safety.')).map((f) => join('leaderboard_dev', f)),
];
/** The files just-eval made with an older template (eval_outputs_examples/README.md): their prompts must differ. */
const OLDER_TEMPLATE = new Set(['eval_outputs_examples/0.score_multi.chatgpt.json', 'eval_outputs_examples/0.score_multi.gpt-4.json', 'eval_outputs_examples/0.score_safety.chatgpt.json', 'eval_outputs_examples/score_multi.gpt4.json']);

describe('the original Just-Eval judge prompt', () => {
  const templates = loadJustEvalTemplates(TEMPLATES);

  it('finds the judge files to compare against', () => {
    expect(judgeFiles.length).toBe(8);
  });

  it.each(judgeFiles)('%s: every record', (file) => {
    const records = JSON.parse(readFileSync(join(JUST_EVAL, file), 'utf8')) as JudgeRecord[];
    const same = records.filter((r) => buildJustEvalPrompt(templates[r.eval_config.mode], r.input, r.output_cand).user === r.prompt).length;
    // Byte-identical on every record made with the official template; none of the older template's.
    expect(same).toBe(OLDER_TEMPLATE.has(file) ? 0 : records.length);
  });

  it('sends the reference system message', () => {
    expect(buildJustEvalPrompt(templates.score_safety, 'q', 'a').system).toBe(JUST_EVAL_SYSTEM_MESSAGE);
  });

  it('keeps the template text out of the repository: it comes from the file, with its sha256', () => {
    expect(templates.score_multi.text).toContain('${instruction}');
    expect(templates.score_multi.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(templates.score_multi.text.startsWith('\\')).toBe(false); // the line continuation after """ is decoded
  });

  it('fills a "$" in the output literally, and never rescans a filled value', () => {
    const user = buildJustEvalPrompt(templates.score_multi, 'Cost of ${candidate}?', 'It costs $5 or $$6 ${instruction}').user;
    expect(user).toContain('Cost of ${candidate}?');
    expect(user).toContain('It costs $5 or $$6 ${instruction}');
  });

  it('names a missing template file and the folder', () => {
    expect(() => loadJustEvalTemplates(JUST_EVAL)).toThrow(/_MULTI_SCORE_TEMPLATE\.py: cannot read .*reference-files folder/);
  });
});

describe('substitutePythonTemplate (string.Template.substitute)', () => {
  it('handles $$, $name, ${name} and names in any case', () => {
    expect(substitutePythonTemplate('$$a $a ${a}b $A', { a: 'x', A: 'y' }, 't')).toBe('$a x xb y');
  });
  it('refuses an invalid placeholder with its line and column, as Python does', () => {
    expect(() => substitutePythonTemplate('ok\nprice: $5', { a: 'x' }, 'tpl.py')).toThrow('tpl.py: invalid placeholder "$" at line 2, column 8');
    expect(() => substitutePythonTemplate('end $', {}, 't')).toThrow(/invalid placeholder/);
  });
  it('refuses a placeholder without a value', () => {
    expect(() => substitutePythonTemplate('$who', { a: 'x' }, 't')).toThrow('t: placeholder "$who" has no value');
  });
});

describe('readPythonStringConstant', () => {
  const read = (src: string) => readPythonStringConstant(src, 'T', 'x.py');
  it('decodes triple-quoted, escaped, raw and concatenated literals', () => {
    expect(read('T = """\\\nline\\tA\\x41\\u00e9\\101\\d"""\n')).toBe('line\tAAé' + 'A\\d');
    expect(read("T = r'a\\nb'")).toBe('a\\nb');
    expect(read('T = ("a"  # part one\n     \'b\')')).toBe('ab');
    expect(read('T = """has "quotes" and \\""" inside"""')).toBe('has "quotes" and """ inside');
  });
  it('names the file and line of what it cannot read', () => {
    expect(() => read('X = 1\nT = f"{x}"')).toThrow('x.py:2: T is not a plain string literal');
    expect(() => read('T = """never closed\n')).toThrow('x.py:1: unterminated string literal');
    expect(() => read('U = "a"')).toThrow('no assignment "T = …"');
  });
});
