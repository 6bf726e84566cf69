import { describe, expect, it } from 'vitest';
import { languageDetector } from '../../../src/main/core/detectors/languageDetector';
import { CLEAN, input } from './fixtures';

const run = (raw: string, over = {}) => languageDetector.detect(input(raw, over), languageDetector.defaultSettings);

describe('languageDetector (wrong-language = mostly not in the language asked for)', () => {
  it.each(Object.entries(CLEAN))('finds nothing in a clean %s answer, and its strict LCB verdict passes', async (lang, text) => {
    const r = await run(text, { expectedLang: lang });
    expect(r.findings).toEqual([]);
    expect(r.signals.lpr).toBe(1);
    expect(r.signals.lcbVerdict).toBe('pass');
    expect(r.signals.linesSure).toBe(6);
    expect(r.signals.wrongShare).toBe(0);
  });

  it('does not flag a French answer with two English lines out of five (fails LCB, not "mostly")', async () => {
    const raw = [
      'La photosynthèse est le processus par lequel les plantes produisent leur énergie.',
      'Plants use sunlight, water and carbon dioxide to make glucose.',
      'Elle libère aussi de l’oxygène dans l’atmosphère, ce qui est essentiel pour nous.',
      'Les feuilles captent la lumière grâce à un pigment vert appelé chlorophylle.',
      'This process takes place mainly in the leaves of the plant.',
    ].join('\n');
    const r = await run(raw, { expectedLang: 'fr' });
    expect(r.findings).toEqual([]);
    expect(r.signals.lcbVerdict).toBe('fail');
    expect(r.signals.wrongLines).toBe(2);
  });

  it('flags a whole answer in the wrong language, with its lines as evidence', async () => {
    const r = await run(CLEAN.fr, { expectedLang: 'es' });
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.label).toBe('wrong-language');
    expect(f.evidence.spans).toHaveLength(6);
    expect(f.evidence.note).toMatch(/100% .* not in es \(fr;/);
    expect(f.version).toBe('2.0.0');
  });

  it('flags an answer mostly in English when French was asked, and the English lines are the spans', async () => {
    const lines = [
      'Bien sûr, voici la réponse.',
      'Regular exercise strengthens the heart and improves blood circulation throughout the body.',
      'It also helps people sleep better and reduces stress and anxiety over time.',
      'Most adults should aim for at least thirty minutes of activity on most days.',
    ];
    const raw = lines.join('\n');
    const r = await run(raw, { expectedLang: 'fr' });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.evidence.spans.map((s) => raw.slice(s.start, s.end))).toEqual(lines.slice(1));
  });

  it('accepts a language the instruction asks for (translate into X, answer in X)', async () => {
    const r = await run(CLEAN.es, { expectedLang: 'en', instruction: 'Translate the following paragraph into Spanish.' });
    expect(r.findings).toEqual([]);
    expect(r.signals.allowedLangs).toBe('en,es');
    const fr = await run(CLEAN.es, { expectedLang: 'fr', instruction: 'Réponds en espagnol, s’il te plaît.' });
    expect(fr.findings).toEqual([]);
  });

  it('does not read formulas, tables, code, quoted phrases, names or short lines', async () => {
    const raw = [
      CLEAN.en,
      'x = 2a + 3b - 4c + 5d - 6e = 120 / 7f',
      '| Nom | Prénom | Ville | Pays | Âge |',
      'const message = "ceci est une phrase en français dans du code";',
      'He said "je ne sais pas du tout ce que tu veux dire" and left the room quietly.',
      'Jean-Pierre Dupont, Marie Curie, Gabriel García Márquez, Federico Fellini, Umberto Eco',
      'Oui, merci beaucoup.',
    ].join('\n');
    const r = await run(raw, { expectedLang: 'en' });
    expect(r.findings).toEqual([]);
    expect(r.signals.skipped_formula).toBe(1);
    expect(r.signals.skipped_table).toBe(1);
    expect(r.signals.skipped_code).toBe(1);
    expect(r.signals.skipped_names).toBe(1);
    expect(r.signals.skipped_short).toBe(1);
    expect(r.signals.wrongLines).toBe(0);
  });

  it('never counts a low-confidence guess as an error', async () => {
    const r = await languageDetector.detect(input(CLEAN.fr, { expectedLang: 'es' }), { ...languageDetector.defaultSettings, confidentProb: 1.01 });
    expect(r.signals.linesSure).toBe(0);
    expect(r.findings).toEqual([]);
  });

  it('leaves degenerate repetition to the loop detector', async () => {
    const r = await run('ha ha ha ha ha ha ha ha ha ha ha ha\n'.repeat(20), { expectedLang: 'en' });
    expect(r.signals.skipped_repetition).toBe(20);
    expect(r.findings).toEqual([]);
  });

  it('reads a raw URIAL answer that starts inside its fence as prose, and skips a real code block', async () => {
    const urial = `${CLEAN.fr}\n\`\`\`\n\nEncore une phrase écrite en français après la clôture du bloc.`;
    const r = await run(urial, { expectedLang: 'fr' });
    expect(r.signals.linesRead).toBe(7);
    const code = 'Voici comment afficher un message dans la console du navigateur.\n```js\nconsole.log("this is some english text in code");\n```\nCette ligne affiche simplement le texte entre guillemets.';
    const c = await run(code, { expectedLang: 'fr' });
    expect(c.findings).toEqual([]);
    expect(c.signals.skipped_fence).toBe(3);
  });

  it('gives lpr null and no finding when no line is long enough', async () => {
    const r = await run('Oui.\n\nBien sûr !', { expectedLang: 'fr' });
    expect(r.signals.lpr).toBeNull();
    expect(r.signals.lcbVerdict).toBe('skipped');
    expect(r.findings).toEqual([]);
  });
});
