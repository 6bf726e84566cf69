import { describe, expect, it } from 'vitest';
import { formatHash, parseHash, patchParams } from '../../../src/renderer/src/lib/hashRoute';
import { filterToParams, paramsToFilter, selectedIdOf } from '../../../src/renderer/src/lib/generationParams';

describe('hash routes', () => {
  it('parses a view and its params', () => {
    expect(parseHash('#/generations?run=3&method=urial&q=water%20tap&item=42')).toEqual({
      view: 'generations',
      params: { run: '3', method: 'urial', q: 'water tap', item: '42' },
    });
    expect(parseHash('#/runs')).toEqual({ view: 'runs', params: {} });
  });

  it('falls back to the default view for an empty or unknown hash', () => {
    expect(parseHash('')).toEqual({ view: 'models', params: {} });
    expect(parseHash('#/nope?x=1')).toEqual({ view: 'models', params: {} });
  });

  it('formats with sorted keys and without empty values, and round-trips', () => {
    const hash = formatHash({ view: 'generations', params: { q: 'eau & sel', run: '3,4', item: '' } });
    expect(hash).toBe('#/generations?q=eau+%26+sel&run=3%2C4');
    expect(parseHash(hash)).toEqual({ view: 'generations', params: { q: 'eau & sel', run: '3,4' } });
    expect(formatHash({ view: 'models', params: {} })).toBe('#/models');
  });

  it('patches params: empty values remove keys', () => {
    expect(patchParams({ a: '1', b: '2' }, { a: undefined, b: 3, c: 'x', d: '' })).toEqual({ b: '3', c: 'x' });
  });
});

describe('generation filter params', () => {
  it('round-trips a full filter', () => {
    const filter = {
      runIds: [3, 4],
      modelIds: [1],
      methods: ['urial', 'chat'],
      langs: ['fr'],
      category: 'info-seek',
      taskType: 'math',
      finishReasons: ['max-tokens' as const],
      search: 'water',
      critical: 'code-leak',
      criticalSource: 'annotator' as const,
    };
    const params = Object.fromEntries(Object.entries(filterToParams(filter)).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(params).toEqual({ run: '3,4', model: '1', method: 'urial,chat', lang: 'fr', cat: 'info-seek', task: 'math', finish: 'max-tokens', q: 'water', crit: 'code-leak', critsrc: 'annotator' });
    expect(paramsToFilter(params)).toEqual(filter);
  });

  it('drops malformed values instead of sending them', () => {
    expect(paramsToFilter({ run: '3,x,-1', lang: 'FR,es', finish: 'stop,bogus', q: '  ' })).toEqual({ runIds: [3], langs: ['es'], finishReasons: ['stop'] });
    expect(paramsToFilter({ crit: 'Code Leak', critsrc: 'everyone' })).toEqual({});
    // The detectors are the default source: their value needs no param.
    expect(filterToParams({ critical: 'any', criticalSource: 'detector' })).toMatchObject({ crit: 'any', critsrc: undefined });
  });

  it('clears every filter key it does not set', () => {
    expect(filterToParams({})).toEqual({ run: undefined, model: undefined, method: undefined, lang: undefined, cat: undefined, task: undefined, finish: undefined, q: undefined, crit: undefined, critsrc: undefined });
  });

  it('reads the opened generation id', () => {
    expect(selectedIdOf({ item: '42' })).toBe(42);
    expect(selectedIdOf({ item: 'x' })).toBeNull();
    expect(selectedIdOf({})).toBeNull();
  });
});
