import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { REPO } from '../support/paths';

// `detect --run` on imported outputs, and the `findings` field of `generations export` (a contract with
// outside scripts: label, detector, version, score, evidence).
describe('detect and export findings', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-detect-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = ['--data-dir', dir];

  it('flags the loop, the unintended code and the wrong language, and leaves the clean answer alone', () => {
    const imported = cli([...g, 'generations', 'import', join(REPO, 'tests/fixtures/generations/critical.jsonl'), '--lang', 'en']);
    expect(imported.code, imported.stderr).toBe(0);
    const runId = imported.lastLine;
    const rerun = cli([...g, 'detect', '--run', runId, '--all']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(Number(rerun.lastLine)).toBeGreaterThanOrEqual(3);

    const rows = cli([...g, 'generations', 'export', '--run', runId]).stdout.trim().split('\n').map((l) => JSON.parse(l) as {
      item_id: string;
      findings: { label: string; detector: string; version: string; score: number; evidence: { spans: { start: number; end: number }[]; note: string } }[];
    });
    const labels = Object.fromEntries(rows.map((r) => [r.item_id, r.findings.map((f) => f.label).sort()]));
    expect(labels['0']).toContain('infinite-loop');
    expect(labels['1']).toContain('code-leak');
    expect(labels['2']).toEqual([]);
    expect(labels['3']).toContain('wrong-language');
    for (const f of rows.flatMap((r) => r.findings)) {
      expect(Object.keys(f).sort()).toEqual(['detector', 'evidence', 'label', 'score', 'version']);
      expect(f.score).toBeGreaterThan(0);
      expect(f.score).toBeLessThanOrEqual(1);
      expect(f.evidence.spans.length).toBeGreaterThan(0);
    }
    // Nothing new to do for the current detector versions.
    expect(cli([...g, 'detect', '--run', runId]).stdout).toMatch(/checked 0 generations/);
  });
});
