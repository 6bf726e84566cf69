/**
 * Oracle test: our LPR equals the Language Confusion Benchmark's own compute_metrics.py (unmodified, Debian
 * python3-fasttext, same lid.176 model file) on both models of outputs_dev. Lives in the model project
 * because it spawns Python and loads fastText (seconds, not milliseconds).
 */
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { loadFastText } from '../../src/main/core/detectors/fastTextLid';
import { lcbSummary } from '../../src/main/core/analysis/lcbSummary';
import { lcbVerdict, type LcbVerdict } from '../../src/main/core/detectors/lcb';
import { oracleFolder, oracleTable, oracleVerdicts, OUTPUTS_DEV } from '../support/lcbOracle';
import { readOutputsDev } from '../support/outputsDev';

describe('LPR against the Language Confusion Benchmark oracle', () => {
  const dir = oracleFolder();

  for (const csv of OUTPUTS_DEV) {
    it(`${basename(csv)}: LPR per task × source × language within 0.005, verdicts agree ≥ 99%`, async () => {
      const ft = await loadFastText();
      const rows = readOutputsDev(csv);
      const ours = rows.map((r) => lcbVerdict(ft, r.completion, r.language));
      const theirs = oracleVerdicts(dir, csv);
      expect(theirs.length).toBe(rows.length);
      const agree = theirs.filter((t, i) => t.verdict === ours[i]!.verdict).length;
      expect(agree / rows.length).toBeGreaterThanOrEqual(0.99);

      // Group as the script does (task, source, language) and compare with its printed table.
      const groups = new Map<string, LcbVerdict[]>();
      rows.forEach((r, i) => {
        const key = [r.task, r.source, r.language].join('\t');
        groups.set(key, [...(groups.get(key) ?? []), ours[i]!]);
      });
      const table = oracleTable(dir, csv);
      let compared = 0;
      for (const [key, verdicts] of groups) {
        const [task, source, lang] = key.split('\t');
        const oracle = table.find((t) => t.task === task && t.source === source && t.lang === lang);
        expect(oracle, key).toBeDefined();
        expect(Math.abs(lcbSummary(verdicts).lpr - oracle!.lpr), key).toBeLessThanOrEqual(0.005);
        compared++;
      }
      expect(compared).toBe(14);
    });
  }
});
