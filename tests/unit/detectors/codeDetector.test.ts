import { describe, expect, it } from 'vitest';
import { codeDetector } from '../../../src/main/core/detectors/codeDetector';
import { CLEAN, input } from './fixtures';

const run = (raw: string, over = {}) => codeDetector.detect(input(raw, over), codeDetector.defaultSettings);

const PY_FENCED = `Voici une fonction qui additionne deux nombres :

\`\`\`python
def add(a, b):
    return a + b

print(add(2, 3))
\`\`\`

Elle renvoie 5.`;

const JS_UNFENCED = `Puedes hacerlo así:
function suma(a, b) {
  const total = a + b;
  return total;
}
console.log(suma(2, 3));`;

describe('codeDetector', () => {
  it.each(Object.entries(CLEAN))('finds nothing in a clean %s answer', (_l, text) => {
    const r = run(text);
    expect(r.findings).toEqual([]);
    expect(r.signals.codeLines).toBe(0);
  });

  it('does not flag a URIAL answer that ends with a lone closing fence', () => {
    const raw = CLEAN.fr + '\n```';
    const r = run(raw, { output: CLEAN.fr, expectedLang: 'fr' });
    expect(r.findings).toEqual([]);
    expect(r.signals.fences).toBe(1);
    expect(r.signals.fencedBlocks).toBe(0);
  });

  it('does not flag French prose lists ending with " ;" or English lines starting with keywords', () => {
    const raw = `Pour réussir, il faut :
- bien dormir ;
- manger équilibré ;
- faire du sport.
Import duties are paid by the buyer when the goods arrive.
Return the form before Monday, for example by email.`;
    expect(run(raw).findings).toEqual([]);
  });

  it('flags fenced code in a non-coding task, with the block as evidence', () => {
    const r = run(PY_FENCED, { expectedLang: 'fr', taskTypes: ['info-seek'] });
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.label).toBe('code-leak');
    expect(r.signals.fenceLanguage).toBe('python');
    expect(r.signals.intended).toBe(false);
    const span = f.evidence.spans[0]!;
    expect(PY_FENCED.slice(span.start, span.end)).toMatch(/^```python\n[\s\S]*\n```$/);
  });

  it('does not flag code in a coding task but still records the signals', () => {
    const r = run(PY_FENCED, { taskTypes: ['coding'] });
    expect(r.findings).toEqual([]);
    expect(r.signals.hasCode).toBe(true);
    expect(r.signals.intended).toBe(true);
  });

  it('flags unfenced code lines and guesses the language with highlight.js', () => {
    const r = run(JS_UNFENCED, { expectedLang: 'es', taskTypes: ['reasoning'] });
    expect(r.findings.map((f) => f.label)).toEqual(['code-leak']);
    expect(r.signals.codeLines).toBe(5);
    expect(r.signals.language).toBe('javascript');
    const spans = r.findings[0]!.evidence.spans.map((s) => JS_UNFENCED.slice(s.start, s.end));
    expect(spans[0]).toBe('function suma(a, b) {');
    expect(spans).not.toContain('Puedes hacerlo así:');
  });

  it('reports code with a lower score when the task types are unknown', () => {
    const known = run(PY_FENCED, { taskTypes: ['info-seek'] }).findings[0]!;
    const r = run(PY_FENCED, { taskTypes: null });
    expect(r.signals.intended).toBeNull();
    expect(r.findings[0]!.score).toBeLessThan(known.score);
  });

  it('treats an untagged fenced block as code only when its lines look like code', () => {
    const prose = 'Résumé :\n```\nLa réunion a lieu lundi à dix heures.\nMerci de confirmer votre présence.\n```\n';
    expect(run(prose).findings).toEqual([]);
    const code = 'Exemple :\n```\n#include <stdio.h>\nint main() {\n  printf("bonjour");\n  return 0;\n}\n```\n```';
    const r = run(code);
    expect(r.findings.map((f) => f.label)).toEqual(['code-leak']);
    expect(r.signals.codeBlocks).toBe(1);
  });

  it('treats an unclosed fence (cut by max tokens) as a block running to the end', () => {
    const raw = 'Here:\n```js\nconst x = [1, 2, 3];\nx.forEach((n) => {';
    const r = run(raw, { finishReason: 'max-tokens' });
    expect(r.findings[0]!.evidence.spans).toEqual([{ start: 6, end: raw.length }]);
  });
});
