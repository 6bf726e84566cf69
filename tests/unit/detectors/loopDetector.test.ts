import { describe, expect, it } from 'vitest';
import { loopDetector } from '../../../src/main/core/detectors/loopDetector';
import { CLEAN, LONG_EN, input } from './fixtures';

const run = (raw: string, over = {}) => loopDetector.detect(input(raw, over), loopDetector.defaultSettings);
const labels = (r: ReturnType<typeof run>) => r.findings.map((f) => f.label);

describe('loopDetector', () => {
  it.each(Object.entries(CLEAN))('finds nothing in a clean %s answer', (_lang, text) => {
    const r = run(text);
    expect(r.findings).toEqual([]);
    expect(r.signals.rep4).toBeLessThan(0.1);
    expect(r.signals.compression as number).toBeLessThan(2.5);
  });

  it('catches a repeated line (exact tail) and points at it in raw coordinates', () => {
    const intro = 'Voici la réponse à votre question sur les volcans.\n';
    const unit = 'Les volcans sont des montagnes qui crachent de la lave.\n';
    const raw = intro + unit.repeat(12) + 'Les volcans sont des mont';
    const r = run(raw, { finishReason: 'max-tokens' });
    expect(labels(r)).toEqual(['infinite-loop']);
    const f = r.findings[0]!;
    expect(r.signals.suffixUnitChars).toBe(unit.length);
    expect(r.signals.suffixRepeats).toBeGreaterThanOrEqual(12);
    // The span starts within the first copy of the unit and runs to the end.
    expect(f.evidence.spans).toHaveLength(1);
    expect(f.evidence.spans[0]!.end).toBe(raw.length);
    expect(f.evidence.spans[0]!.start).toBeLessThanOrEqual(intro.length + unit.length);
    expect(f.evidence.note).toMatch(/repeat a \d+-character unit \d+ times/);
  });

  it('catches a repeated paragraph even when the model stopped by itself', () => {
    const para =
      'El agua es esencial para la vida. Los seres humanos necesitan beber unos dos litros al día.\n' +
      'Además, el agua regula la temperatura del cuerpo y transporta los nutrientes.\n\n';
    const raw = 'Respuesta:\n' + para.repeat(5);
    const r = run(raw, { finishReason: 'eos', expectedLang: 'es' });
    expect(labels(r)).toEqual(['infinite-loop']);
    expect(r.signals.suffixUnitChars).toBe(para.length);
  });

  it('catches a drifting loop with a counter (no exact tail) via rep-n / compression', () => {
    const steps = Array.from({ length: 30 }, (_, i) => `Step ${i + 1}: open the box and take out the next item, then close the box again.`);
    const raw = 'To empty the box:\n' + steps.join('\n');
    const r = run(raw, { finishReason: 'max-tokens' });
    expect(r.signals.suffixCoverage as number).toBeLessThan(0.3);
    expect(r.signals.rep4 as number).toBeGreaterThan(0.5);
    expect(labels(r)).toEqual(['infinite-loop']);
    const span = r.findings[0]!.evidence.spans[0]!;
    expect(span.start).toBeGreaterThanOrEqual(raw.indexOf('Step 1'));
    expect(span.start).toBeLessThan(raw.indexOf('Step 2'));
    expect(span.end).toBe(raw.length);
  });

  it('catches the same drifting counter loop when the model ended it by EOS (strong compression)', () => {
    const raw = Array.from({ length: 30 }, (_, i) => `Paso ${i + 1}: abra la caja y saque el siguiente objeto, luego cierre la caja.`).join('\n');
    const r = run(raw, { finishReason: 'eos', expectedLang: 'es' });
    expect(r.signals.compression as number).toBeGreaterThan(6);
    expect(labels(r)).toEqual(['infinite-loop']);
  });

  it('catches a sentence looping with one word changing, even without max tokens (strong repetition)', () => {
    const words = ['rouge', 'bleu', 'vert', 'jaune', 'noir', 'blanc', 'gris', 'rose', 'violet', 'orange'];
    const raw = Array.from({ length: 20 }, (_, i) => `J’aime beaucoup la couleur ${words[i % 10]} parce qu’elle me rend heureux chaque jour.`).join(' ');
    const r = run(raw, { finishReason: 'eos', expectedLang: 'fr' });
    expect(labels(r)).toEqual(['infinite-loop']);
  });

  it('labels a long non-repetitive answer that hit max tokens as truncated, not a loop', () => {
    const r = run(LONG_EN, { finishReason: 'max-tokens', outputTokens: 512 });
    expect(labels(r)).toEqual(['truncated']);
    expect(r.signals.hitMaxTokens).toBe(true);
    expect(r.signals.rep4 as number).toBeLessThan(0.1);
  });

  it('does not call a short list with a repeated phrase a loop', () => {
    const raw = 'Ingrédients :\n- 200 g de farine\n- 100 g de sucre\n- 2 œufs\n- 50 g de beurre\nMélangez le tout et faites cuire 20 minutes.';
    expect(run(raw, { expectedLang: 'fr' }).findings).toEqual([]);
  });

  it('labels blank output empty (whitespace-only raw, or cleaned to nothing)', () => {
    expect(labels(run('   \n\n'))).toEqual(['empty']);
    expect(labels(run(''))).toEqual(['empty']);
    const r = loopDetector.detect(input('```\n', { output: '' }), loopDetector.defaultSettings);
    expect(labels(r)).toEqual(['empty']);
  });

  it('counts accented FR/ES words as single tokens', () => {
    const r = run('été été été été');
    expect(r.signals.tokens).toBe(4);
  });

  it('honours its settings', () => {
    const raw = CLEAN.en + '\n' + 'Thank you.\n'.repeat(4);
    expect(run(raw).findings).toEqual([]); // short repeated tail: not enough coverage or repetition
    const strict = loopDetector.detect(input(raw), { ...loopDetector.defaultSettings, minSuffixCoverage: 0.05, rep4Min: 0, compressionMin: 0 });
    expect(strict.findings.map((f) => f.label)).toEqual(['infinite-loop']);
  });
});
