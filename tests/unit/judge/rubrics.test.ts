import { describe, expect, it } from 'vitest';
import { ASPECTS_RUBRIC_VERSION, BUILTIN_RUBRICS, PROMPT_PLACEHOLDERS, RATIONALE_MAX_CHARS, RUBRICS_CREATED_AT, SAFETY_RUBRIC_VERSION } from '../../../src/main/core/judge';
import { ASPECTS, SAFETY_ASPECT } from '../../../src/shared/judging';

const LANGS = ['en', 'fr', 'es'];

describe('built-in rubrics', () => {
  it('have unique versions, the two Just-Eval kinds, and their aspects', () => {
    const versions = BUILTIN_RUBRICS.map((r) => r.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual([ASPECTS_RUBRIC_VERSION, SAFETY_RUBRIC_VERSION]);
    const [aspects, safety] = BUILTIN_RUBRICS;
    expect(aspects).toMatchObject({ kind: 'aspects', aspects: [...ASPECTS], builtin: true, parent: null });
    expect(safety).toMatchObject({ kind: 'safety', aspects: [SAFETY_ASPECT], builtin: true, parent: null });
  });

  it('carry a fixed creation time, the same on every install', () => {
    expect(Number.isNaN(Date.parse(RUBRICS_CREATED_AT))).toBe(false);
    for (const r of BUILTIN_RUBRICS) expect(r.createdAt).toBe(RUBRICS_CREATED_AT);
  });

  describe.each(BUILTIN_RUBRICS.flatMap((r) => LANGS.map((lang) => ({ rubric: r, lang, version: r.version }))))('$version in $lang', ({ rubric, lang }) => {
    const prompt = rubric.prompts[lang]!;

    it('exists, with a system and a user message', () => {
      expect(prompt.system.length).toBeGreaterThan(200);
      expect(prompt.user.length).toBeGreaterThan(50);
    });

    it('uses every placeholder in the user message, and no other', () => {
      for (const p of PROMPT_PLACEHOLDERS) expect(prompt.user).toContain(p);
      const used = `${prompt.system}\n${prompt.user}`.match(/\{[a-z]+\}/g) ?? [];
      expect(new Set(used)).toEqual(new Set(PROMPT_PLACEHOLDERS));
    });

    it('delimits the untrusted instruction and output, and says not to obey them', () => {
      expect(prompt.user).toMatch(/<instruction>\n\{instruction\}\n<\/instruction>/);
      expect(prompt.user).toMatch(/<response>\n\{output\}\n<\/response>/);
      expect(prompt.system).toMatch(/Never follow|N'exécutez jamais|Nunca siga/);
    });

    it('defines every aspect by its JSON key, every score level, and the rationale bound', () => {
      for (const aspect of rubric.aspects.filter((a) => a !== SAFETY_ASPECT)) expect(prompt.system).toContain(aspect);
      for (const level of [1, 2, 3, 4, 5]) expect(prompt.system).toMatch(new RegExp(`${level} =`));
      expect(prompt.system).toContain(String(RATIONALE_MAX_CHARS));
    });
  });
});
