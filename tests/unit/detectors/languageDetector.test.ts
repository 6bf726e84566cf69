import { describe, expect, it } from 'vitest';
import { languageDetector } from '../../../src/main/core/detectors/languageDetector';
import { CLEAN, input } from './fixtures';

const run = (raw: string, over = {}) => languageDetector.detect(input(raw, over), languageDetector.defaultSettings);

describe('languageDetector', () => {
  it.each(Object.entries(CLEAN))('finds nothing in a clean %s answer', async (lang, text) => {
    const r = await run(text, { expectedLang: lang });
    expect(r.findings).toEqual([]);
    expect(r.signals.lpr).toBe(1);
    expect(r.signals.majorityLang).toBe(lang);
    expect(r.signals.majorityShare).toBe(1);
    expect(r.signals.linesChecked).toBe(6);
  });

  it('flags English lines in a French answer, with exactly those lines as spans', async () => {
    const lines = [
      'La photosynthèse est le processus par lequel les plantes produisent leur énergie.',
      'Plants use sunlight, water and carbon dioxide to make glucose.',
      'Elle libère aussi de l’oxygène dans l’atmosphère, ce qui est essentiel.',
      'This process takes place mainly in the leaves of the plant.',
    ];
    const raw = lines.join('\n');
    const r = await run(raw, { expectedLang: 'fr' });
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.label).toBe('wrong-language');
    expect(f.evidence.spans.map((s) => raw.slice(s.start, s.end))).toEqual([lines[1], lines[3]]);
    expect(r.signals.wrongLines).toBe(2);
    expect(r.signals.lpr).toBe(0);
    expect(r.signals.linesChecked).toBe(4);
  });

  it('flags a whole answer in the wrong language (FR answer expected in ES)', async () => {
    const r = await run(CLEAN.fr, { expectedLang: 'es' });
    expect(r.signals.wrongLines).toBe(6);
    expect(r.signals.majorityLang).toBe('fr');
    expect(r.findings[0]!.score).toBe(1);
  });

  it('skips lines under 5 words (numbers do not count as words)', async () => {
    const raw = 'Hello!\nOK, merci.\nTotal: 45 euros, 12 dollars.\n' + CLEAN.es;
    const r = await run(raw, { expectedLang: 'es' });
    expect(r.findings).toEqual([]);
    expect(r.signals.linesSkippedShort).toBe(3);
    expect(r.signals.linesChecked).toBe(6);
  });

  it('accepts regional tags for the expected language', async () => {
    const r = await run(CLEAN.fr, { expectedLang: 'fr-FR' });
    expect(r.findings).toEqual([]);
  });

  it('ignores code inside fences but checks the prose around it', async () => {
    const raw = 'Voici comment afficher un message dans la console du navigateur.\n```js\nconsole.log("this is some english text in code");\n```\nCette ligne affiche simplement le texte entre guillemets.';
    const r = await run(raw, { expectedLang: 'fr' });
    expect(r.findings).toEqual([]);
    expect(r.signals.linesChecked).toBe(2);
  });

  it('gives lpr null and no finding when no line is long enough', async () => {
    const r = await run('Oui.\n\nBien sûr !', { expectedLang: 'fr' });
    expect(r.signals.lpr).toBeNull();
    expect(r.findings).toEqual([]);
  });

  it('counts a low-confidence line as wrong when the floor says so', async () => {
    const raw = CLEAN.en;
    const r = await languageDetector.detect(input(raw), { ...languageDetector.defaultSettings, confidenceFloor: 1.01 });
    expect(r.signals.wrongLines).toBe(6);
  });
});
