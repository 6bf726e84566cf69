import { describe, expect, it } from 'vitest';
import type { AspectCell } from '../../../src/shared/api';
import { formatTable, type TableMeta } from '../../../src/main/services/results/formatTable';

const cell = (language: string, aspect: AspectCell['aspect'], mean: number, low: number, high: number, extra: Partial<AspectCell> = {}): AspectCell => ({
  group: { language },
  aspect,
  n: 10,
  na: 0,
  substituted: 0,
  naKinds: { judge: 0, unreadable: 0, 'no-reply': 0 },
  mean,
  low,
  high,
  counts: [0, 0, 10, 0, 0],
  judgeVariance: null,
  ...extra,
});
const cells = [
  cell('en', 'helpfulness', 3.5, 3.0, 4.0),
  cell('en', 'clarity', 2.0, 1.5, 2.5),
  cell('fr_CA', 'helpfulness', 3.25, 3.0, 3.5, { na: 2 }),
  cell('fr_CA', 'clarity', 2.004, 1.8, 2.2),
];
const meta: TableMeta = { naPolicy: 'exclude', judges: ['gpt (openai:x#gpt)'], rubricVersions: ['just-eval-aspects@1'], judgeLangs: ['en'], resamples: 2000, level: 0.95, seed: 1 };

describe('formatTable', () => {
  it('LaTeX: booktabs, best per column in bold (ties as printed both bold), ± half-widths, escaped names, footnote', () => {
    const tex = formatTable(cells, ['language'], meta, 'latex');
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('\\midrule');
    expect(tex).toContain('\\bottomrule');
    expect(tex).toContain('Language & $n$ & Helpfulness & Clarity \\\\');
    expect(tex).toContain('en & 10 & \\textbf{3.50} $\\pm$ 0.50 & \\textbf{2.00} $\\pm$ 0.50 \\\\');
    // 2.004 prints as 2.00: tied with en as shown, so bold too
    expect(tex).toContain('fr\\_CA & 10 & 3.25 $\\pm$ 0.25 & \\textbf{2.00} $\\pm$ 0.20 \\\\');
    expect(tex).toContain('N/A excluded: 2 generation-aspect scores');
    expect(tex).toContain('Judge: gpt (openai:x\\#gpt). Rubric version: just-eval-aspects@1.');
    expect(tex).toContain("Holm's adjustment");
    expect(tex).not.toContain('N/A counted as 5');
  });

  it('says "N/A counted as 5" in caption and footnote when that policy is used', () => {
    const tex = formatTable(cells.map((c) => ({ ...c, substituted: 1 })), ['language'], { ...meta, naPolicy: 'as-5' }, 'latex');
    expect(tex).toMatch(/\\caption\{[^}]*N\/A counted as 5/);
    expect(tex).toContain('N/A counted as 5 (the reference code');
    expect(formatTable(cells, ['language'], { ...meta, naPolicy: 'as-5' }, 'md')).toContain('N/A counted as 5');
  });

  it('Markdown and CSV equivalents', () => {
    const md = formatTable(cells, ['language'], meta, 'md');
    expect(md.split('\n').slice(0, 4)).toEqual([
      '| Language | n | Helpfulness | Clarity |',
      '| --- | ---: | ---: | ---: |',
      '| en | 10 | **3.50** ± 0.50 | **2.00** ± 0.50 |',
      '| fr\\_CA | 10 | 3.25 ± 0.25 | **2.00** ± 0.20 |',
    ]);
    const csv = formatTable(cells, ['language'], meta, 'csv').trim().split('\n');
    // Every cell quoted (OWASP CSV-injection rule, see csvSafe).
    expect(csv[0]).toBe('"language","aspect","n","na","substituted","mean","ci_low","ci_high","judge_variance","na_policy","judges","rubric_versions"');
    expect(csv[3]).toBe('"fr_CA","helpfulness","10","2","0","3.2500","3.0000","3.5000","","exclude","gpt (openai:x#gpt)","just-eval-aspects@1"');
    expect(csv).toHaveLength(5);
  });
});

describe('formatTable CSV (OWASP CSV injection)', () => {
  it('neutralises a group value that a spreadsheet would run as a formula', () => {
    const evil = cell('=HYPERLINK("http://evil","x")', 'helpfulness', 3.5, 3.0, 4.0);
    const csv = formatTable([evil], ['language'], { ...meta, judges: ['@judge'] }, 'csv');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csv).toContain(`"'@judge"`);
    expect(csv).not.toMatch(/(^|,)=/m);
  });
});
