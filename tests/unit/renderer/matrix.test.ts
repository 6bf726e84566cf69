import { describe, expect, it } from 'vitest';
import type { SideBySideColumn } from '../../../src/shared/api';
import { excludedByFilter } from '../../../src/renderer/src/lib/generationParams';
import { buildMatrix, moveInMatrix, parseAxis, positionOf } from '../../../src/renderer/src/lib/matrix';

let nextId = 1;
function gen(lang: string, method: string, modelName: string | null = 'stories'): SideBySideColumn {
  const id = nextId++;
  return {
    id, runId: id, runName: `${lang} ${method}`, itemId: '7', lang, method, modelName, instruction: `instruction ${lang}`, output: 'o',
    finishReason: 'stop', outputTokens: 3, scores: [], findings: [], annotated: [],
  };
}

// As the backend orders them: language, method, model, run. fr has no urial; es has two models for zero-shot.
const GENS = [
  gen('en', 'custom'), gen('en', 'urial'), gen('en', 'zero-shot'),
  gen('es', 'custom'), gen('es', 'urial'), gen('es', 'zero-shot'), gen('es', 'zero-shot', 'smol'),
  gen('fr', 'custom'), gen('fr', 'zero-shot'),
];
const id = (lang: string, method: string, model = 'stories') => GENS.find((g) => g.lang === lang && g.method === method && g.modelName === model)!.id;

describe('reader matrix', () => {
  it('puts languages in rows and methods in columns, with empty cells where nothing was generated', () => {
    const m = buildMatrix(GENS, 'method');
    expect(m.rows).toEqual(['en', 'es', 'fr']);
    expect(m.columns).toEqual(['custom', 'urial', 'zero-shot']);
    expect(m.cells.map((row) => row.map((cell) => cell.length))).toEqual([[1, 1, 1], [1, 1, 2], [1, 0, 1]]);
  });

  it('puts models in columns on request, methods then share a cell', () => {
    const m = buildMatrix(GENS, 'model');
    expect(m.columns).toEqual(['smol', 'stories']);
    expect(m.cells[0]!.map((cell) => cell.map((g) => g.method))).toEqual([[], ['custom', 'urial', 'zero-shot']]);
    expect(parseAxis('model')).toBe('model');
    expect(parseAxis('nonsense')).toBe('method');
  });

  it('moves between cells with the arrows, skipping empty cells and stopping at the edges', () => {
    const m = buildMatrix(GENS, 'method');
    expect(moveInMatrix(m, id('en', 'custom'), 'right')).toBe(id('en', 'urial'));
    expect(moveInMatrix(m, id('en', 'urial'), 'down')).toBe(id('es', 'urial'));
    // fr has no urial: down from es · urial has nowhere to land.
    expect(moveInMatrix(m, id('es', 'urial'), 'down')).toBeNull();
    expect(moveInMatrix(m, id('fr', 'custom'), 'right')).toBe(id('fr', 'zero-shot'));
    expect(moveInMatrix(m, id('en', 'custom'), 'left')).toBeNull();
    expect(moveInMatrix(m, id('en', 'custom'), 'up')).toBeNull();
    // Within a shared cell the place is kept where it can be.
    expect(positionOf(m, id('es', 'zero-shot', 'smol'))).toEqual({ row: 1, column: 2, index: 1 });
    expect(moveInMatrix(m, id('es', 'zero-shot', 'smol'), 'down')).toBe(id('fr', 'zero-shot'));
    expect(moveInMatrix(m, 999, 'down')).toBeNull();
  });
});

describe('excludedByFilter', () => {
  const g = { runId: 3, method: 'urial', lang: 'fr', finishReason: 'stop' as const, category: 'regular', taskTypes: ['coding'] };

  it('rules a generation out by what the reader knows of it', () => {
    expect(excludedByFilter({}, g)).toBe(false);
    expect(excludedByFilter({ langs: ['en', 'fr'], methods: ['urial'] }, g)).toBe(false);
    expect(excludedByFilter({ langs: ['en'] }, g)).toBe(true);
    expect(excludedByFilter({ runIds: [4] }, g)).toBe(true);
    expect(excludedByFilter({ finishReasons: ['max-tokens'] }, g)).toBe(true);
    expect(excludedByFilter({ category: 'safety' }, g)).toBe(true);
    expect(excludedByFilter({ taskType: 'coding' }, g)).toBe(false);
    expect(excludedByFilter({ taskType: 'math' }, g)).toBe(true);
    // Search and scores need the backend: not decided here.
    expect(excludedByFilter({ search: 'nothing matches' }, g)).toBe(false);
  });
});
