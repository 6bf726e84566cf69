import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identifyLanguage } from '../../../src/main/core/detectors/languageDetector';
import { decidePromptLanguage, decideUrialPromptLanguage } from '../../../src/main/core/prompting/promptLanguage';
import { methodLabel } from '../../../src/shared/methodLabel';
import { OFFICIAL_DIR, RESOURCES_DIR } from './fixtures';

const OWN = (lang: string) => join(RESOURCES_DIR, 'prompts', 'urial', `inst_1k_v4.${lang}.txt`);

describe('prompt language of URIAL files (real fastText lid.176)', () => {
  it.each([
    [join(OFFICIAL_DIR, 'inst_1k_v4.txt'), 'en'],
    [join(OFFICIAL_DIR, 'inst_help_v6-1k.txt'), 'en'],
    [OWN('fr'), 'fr'],
    [OWN('es'), 'es'],
  ])('detects %s as %s', async (path, lang) => {
    const decision = await decideUrialPromptLanguage({ path, datasetLang: lang, allowMismatch: false, identify: identifyLanguage });
    expect(decision).toMatchObject({ promptLang: lang, promptLangSource: 'detected', mismatch: false });
    expect(decision.describe.promptLangDetected).toMatch(new RegExp(`^${lang} 0\\.9\\d\\d$`));
  });

  it('refuses the official English file on a French dataset unless asked (the silent case)', async () => {
    const path = join(OFFICIAL_DIR, 'inst_1k_v4.txt');
    await expect(decideUrialPromptLanguage({ path, datasetLang: 'fr', allowMismatch: false, identify: identifyLanguage })).rejects.toThrow(
      /inst_1k_v4\.txt is in "en" but the dataset is "fr".*--allow-prompt-lang-mismatch.*"URIAL \(en prompt\)"/,
    );
    const allowed = await decideUrialPromptLanguage({ path, datasetLang: 'fr', allowMismatch: true, identify: identifyLanguage });
    expect(allowed).toMatchObject({ promptLang: 'en', mismatch: true });
    expect(allowed.describe.promptLangMismatch).toBe('allowed: en prompt on fr items');
    expect(methodLabel('urial', allowed.promptLang, 'fr')).toBe('URIAL (en prompt)');
  });

  it('refuses a declaration the text contradicts', async () => {
    await expect(
      decideUrialPromptLanguage({ path: OWN('es'), datasetLang: 'fr', declared: 'fr', allowMismatch: true, identify: identifyLanguage }),
    ).rejects.toThrow(/declared "fr" but its text reads as "es"/);
  });
});

describe('decidePromptLanguage', () => {
  const base = { source: 'p.txt', datasetLang: 'fr', allowMismatch: false };
  it('keeps a declaration when detection is unsure', () => {
    expect(decidePromptLanguage({ ...base, declared: 'fr', detected: { lang: 'en', confidence: 0.5 } })).toEqual({
      promptLang: 'fr',
      promptLangSource: 'declared',
      mismatch: false,
    });
  });
  it('asks for a declaration when detection is unsure and nothing is declared', () => {
    expect(() => decidePromptLanguage({ ...base, detected: { lang: 'ca', confidence: 0.4 } })).toThrow(
      /Cannot tell the language of the prompt p\.txt \(best guess "ca" at 40%\)\. Declare its language/,
    );
  });
});

describe('methodLabel', () => {
  it('labels only a URIAL prompt in another language', () => {
    expect(methodLabel('urial', 'fr', 'fr')).toBe('urial');
    expect(methodLabel('urial', 'es', 'fr')).toBe('URIAL (es prompt)');
    expect(methodLabel('urial-zero', null, 'fr')).toBe('urial-zero');
    expect(methodLabel('zero-shot', 'en', 'fr')).toBe('zero-shot');
  });
});
