import { describe, expect, it } from 'vitest';
import { CRITICAL_LABELS } from '../../../src/shared/detection';
import { readLabelled, toDetectorInput } from '../../../bench/p4Detectors';

describe('bench/data/p4-labelled.jsonl', () => {
  it('parses, has ≥ 20 generations per language and uses every detectable label in each language', () => {
    const data = readLabelled();
    for (const lang of ['en', 'fr', 'es']) {
      const rows = data.filter((g) => g.lang === lang);
      expect(rows.length).toBeGreaterThanOrEqual(20);
      for (const label of CRITICAL_LABELS) expect(rows.some((g) => g.labels.includes(label)), `${lang}/${label}`).toBe(true);
      expect(rows.some((g) => g.labels.length === 0)).toBe(true);
    }
  });

  it('builds the detector input the app would (fences removed from output, word-count tokens)', () => {
    const input = toDetectorInput({ id: 'x', lang: 'fr', instruction: 'i', task_types: null, output_raw: 'Bonjour à tous\n```\n\n', finish_reason: 'stop', max_tokens: 10, labels: [] });
    expect(input).toMatchObject({ output: 'Bonjour à tous', outputTokens: 3, expectedLang: 'fr', finishReason: 'stop', maxTokens: 10, taskTypes: null });
  });
});
