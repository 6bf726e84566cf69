import { describe, expect, it } from 'vitest';
import { DETECTORS, getDetector, runDetectors } from '../../../src/main/core/detectors';
import { CLEAN, LONG_EN, input } from './fixtures';

describe('detector registry', () => {
  it('lists the detectors and finds them by name', () => {
    expect(DETECTORS.map((d) => d.name)).toEqual(['loop', 'code', 'language']);
    expect(getDetector('code').name).toBe('code');
    expect(() => getDetector('nope')).toThrow(/loop, code, language/);
  });

  it.each(Object.entries(CLEAN))('finds nothing in a clean %s answer with any detector', async (lang, text) => {
    const results = await runDetectors(input(text, { expectedLang: lang }));
    expect(results.map((r) => r.detector)).toEqual(['loop', 'code', 'language']);
    expect(results.flatMap((r) => r.findings)).toEqual([]);
    for (const r of results) expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('merges setting overrides with the defaults and rejects unknown ones', async () => {
    const text = CLEAN.en + '\nVoici une phrase entièrement écrite en français pour tester.';
    const [, , lang] = await runDetectors(input(text), { language: { minWords: 100 } });
    expect(lang!.signals.linesRead).toBe(0);
    await expect(runDetectors(input(text), { language: { minWordz: 3 } })).rejects.toThrow(/unknown setting "minWordz".*minWords/);
    await expect(runDetectors(input(text), { lop: {} })).rejects.toThrow(/unknown detector "lop"/);
  });

  it('gives the same result for the same input (determinism)', async () => {
    const cases = [
      input(CLEAN.fr + '\nThis line is clearly written in English, not French.', { expectedLang: 'fr', taskTypes: null }),
      input(LONG_EN, { finishReason: 'max-tokens' }),
      input('Answer:\n' + 'I am a loop. '.repeat(40), { finishReason: 'max-tokens' }),
      input('```python\nimport os\nprint(os.getcwd())\n```\n```'),
    ];
    for (const c of cases) {
      const a = await runDetectors(c);
      const b = await runDetectors(structuredClone(c));
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('labels an empty output empty and nothing else', async () => {
    const results = await runDetectors(input('\n```', { output: '' }));
    expect(results.flatMap((r) => r.findings.map((f) => f.label))).toEqual(['empty']);
  });
});
