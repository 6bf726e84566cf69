import { describe, expect, it } from 'vitest';
import type { AspectCell, CriticalErrorRate } from '../../../src/shared/api';
import { ANY_CRITICAL_ERROR } from '../../../src/shared/detection';
import { aspectBarChart, aspectRadars, criticalErrorChart, groupLabel, legendLabel, naNote, naNoteOf, scoreHistograms, shownKeys } from '../../../src/renderer/src/lib/charts/resultsCharts';
import { paramsToResultsQuery, readerFilterFor, resultsQueryToParams } from '../../../src/renderer/src/lib/resultsParams';
import { patchParams } from '../../../src/renderer/src/lib/hashRoute';

function cell(group: AspectCell['group'], aspect: AspectCell['aspect'], mean: number, counts: AspectCell['counts'], substituted = 0): AspectCell {
  const n = counts.reduce((s, c) => s + c, 0);
  return { group, aspect, n, na: substituted, substituted, naKinds: { judge: substituted, unreadable: 0, 'no-reply': 0 }, mean, low: mean - 0.5, high: mean + 0.5, counts, judgeVariance: null };
}

const CELLS: AspectCell[] = [
  cell({ language: 'en', method: 'urial' }, 'clarity', 3.5, [0, 1, 0, 1, 2]),
  cell({ language: 'en', method: 'urial' }, 'helpfulness', 3, [1, 0, 1, 1, 1], 1),
  cell({ language: 'fr', method: 'urial' }, 'helpfulness', 2, [2, 1, 0, 1, 0]),
  cell({ language: 'en', method: 'zero-shot' }, 'helpfulness', 1.5, [2, 2, 0, 0, 0], 2),
];

describe('aspect charts', () => {
  it('puts one cluster per group and one bar per aspect, in protocol order, with the CI', () => {
    const { model, targets } = aspectBarChart(CELLS, ['language', 'method'], 'exclude');
    expect(model.categories).toEqual(['en · urial', 'fr · urial', 'en · zero-shot']);
    expect(model.series.map((s) => s.label)).toEqual(['helpfulness', 'clarity']);
    expect(model.series[0]!.values).toEqual([3, 2, 1.5]);
    expect(model.series[0]!.low).toEqual([2.5, 1.5, 1]);
    expect(model.series[1]!.values).toEqual([3.5, null, null]);
    expect(model.subtitle).toBe('95% bootstrap CI · N/A excluded');
    expect(targets[1]![2]).toEqual({ group: { language: 'en', method: 'zero-shot' }, aspect: 'clarity' });
  });

  it('says when N/A was counted as 5, with how many', () => {
    expect(aspectBarChart(CELLS, ['language', 'method'], 'as-5').model.subtitle).toBe('95% bootstrap CI · N/A counted as 5 (3 substituted)');
    expect(naNote('as-5', 0)).toBe('N/A counted as 5 (0 substituted)');
  });

  it('draws a radar per method with the languages overlaid, a language keeping its colour', () => {
    const radars = aspectRadars(CELLS, ['language', 'method'], 'exclude');
    expect(radars.map((r) => r.title)).toEqual(['urial', 'zero-shot']);
    expect(radars[0]!.axes).toEqual(['helpfulness', 'clarity', 'factuality', 'depth', 'engagement']);
    expect(radars[0]!.series.map((s) => [s.label, s.values])).toEqual([
      ['en · urial', [3, 3.5, null, null, null]],
      ['fr · urial', [2, null, null, null, null]],
    ]);
    expect(radars[1]!.series.map((s) => s.label)).toEqual(['en · zero-shot']);
    expect(radars[1]!.series[0]!.color).toBe(radars[0]!.series[0]!.color);
  });

  it('turns score counts into shares per group', () => {
    const [helpfulness] = scoreHistograms(CELLS, ['language', 'method'], 'exclude');
    expect(helpfulness!.model.categories).toEqual(['1', '2', '3', '4', '5']);
    expect(helpfulness!.model.series.map((s) => s.label)).toEqual(['en · urial', 'fr · urial', 'en · zero-shot']);
    expect(helpfulness!.model.series[0]!.values).toEqual([25, 0, 25, 25, 25]);
    expect(helpfulness!.model.series[2]!.values).toEqual([50, 50, 0, 0, 0]);
    expect(helpfulness!.targets[1]![3]).toEqual({ group: { language: 'fr', method: 'urial' }, aspect: 'helpfulness', score: 4 });
  });

  it('names language and method in every legend, saying when a grouping pools them', () => {
    const byMethod = [cell({ method: 'urial' }, 'helpfulness', 3, [1, 0, 1, 1, 1])];
    expect(aspectRadars(byMethod, ['method'], 'exclude')[0]!.series.map((s) => s.label)).toEqual(['urial · all languages']);
    const byLang = [cell({ language: 'en' }, 'helpfulness', 3, [1, 0, 1, 1, 1]), cell({ language: 'fr' }, 'helpfulness', 2, [2, 1, 0, 1, 0])];
    expect(aspectRadars(byLang, ['language'], 'exclude')[0]!.series.map((s) => s.label)).toEqual(['en · all methods', 'fr · all methods']);
    expect(scoreHistograms([cell({}, 'depth', 2, [0, 1, 0, 0, 0])], [], 'exclude')[0]!.model.series.map((s) => s.label)).toEqual(['all languages · all methods']);
    expect(legendLabel({ language: 'es', model: 'm' }, ['model', 'language'])).toBe('m · es · all methods');
  });

  it('gives a group the same look in every histogram, even where it has no score for an aspect', () => {
    const cells = [...CELLS, cell({ language: 'en', method: 'zero-shot' }, 'clarity', 2, [0, 1, 0, 0, 0])];
    const [helpfulness, clarity] = scoreHistograms(cells, ['language', 'method'], 'exclude');
    const look = (m: typeof helpfulness, label: string) => m!.model.series.filter((s) => s.label === label).map((s) => [s.color, s.outlined]);
    // clarity has no fr · urial score, so index-based colours would shift en · zero-shot by one.
    expect(clarity!.model.series.map((s) => s.label)).not.toContain('fr · urial');
    expect(look(clarity, 'en · zero-shot')).toEqual(look(helpfulness, 'en · zero-shot'));
  });

  it('labels the judging keys the backend added (two judge languages are two clusters, never one)', () => {
    const split = [
      cell({ language: 'fr', judgeLang: 'en' }, 'helpfulness', 2, [1, 1, 0, 0, 0]),
      cell({ language: 'fr', judgeLang: 'fr' }, 'helpfulness', 5, [0, 0, 0, 0, 2]),
    ];
    expect(shownKeys(split, ['language'])).toEqual(['language', 'judgeLang']);
    expect(shownKeys(CELLS, ['language', 'method'])).toEqual(['language', 'method']);
    expect(aspectBarChart(split, ['language'], 'exclude').model.categories).toEqual(['fr · en', 'fr · fr']);
    expect(scoreHistograms(split, ['language'], 'exclude')[0]!.model.series.map((x) => x.label)).toEqual(['fr · en · all methods', 'fr · fr · all methods']);
    expect(aspectRadars(split, ['language'], 'exclude').map((r) => r.title)).toEqual(['en', 'fr']);
  });

  it('says which N/A were left out when some are not the judge\'s own', () => {
    const withKinds: AspectCell[] = [{ ...CELLS[1]!, naKinds: { judge: 1, unreadable: 2, 'no-reply': 3 } }];
    expect(naNoteOf('as-5', withKinds)).toBe('N/A counted as 5 (1 substituted); left out: 2 unreadable judge replies, 3 without a reply');
    expect(naNoteOf('exclude', CELLS)).toBe('N/A excluded');
    expect(aspectBarChart(withKinds, ['language'], 'exclude').model.subtitle).toBe('95% bootstrap CI · N/A excluded; left out: 2 unreadable judge replies, 3 without a reply');
  });

  it('labels groups in the order of the grouping keys', () => {
    expect(groupLabel({ method: 'chat', language: 'es' }, ['language', 'method'])).toBe('es · chat');
    expect(groupLabel({ language: 'es' }, [])).toBe('all');
  });
});

describe('critical-error chart', () => {
  const rate = (lang: string, label: string, r: number, low: number, high: number): CriticalErrorRate => ({
    model: 'stories', method: 'urial', lang, label, n: 10, count: Math.round(r * 10), rate: r, low, high,
  });

  it('one bar per label side by side (never stacked), own Wilson whiskers, n in every category, axis ≤ 100%', () => {
    const { model, targets } = criticalErrorChart(
      [
        rate('en', 'wrong-language', 0.1, 0, 0.3),
        rate('en', 'infinite-loop', 0.9, 0.6, 0.98),
        rate('en', ANY_CRITICAL_ERROR, 1, 0.72, 1),
        rate('fr', 'infinite-loop', 0.5, 0.2, 0.8),
      ],
      'detector',
    );
    expect(model.stacked).toBe(false);
    expect(model.categories).toEqual(['stories · urial · en (n=10)', 'stories · urial · fr (n=10)']);
    expect(model.series.map((s) => s.label)).toEqual(['infinite-loop', 'wrong-language', ANY_CRITICAL_ERROR]);
    expect(model.series[0]!.values).toEqual([90, 50]);
    expect(model.series[1]!.values).toEqual([10, null]);
    // Whiskers are the bar's own interval, not offset by other labels.
    expect(model.series[1]!.low).toEqual([0, null]);
    expect(model.series[1]!.high).toEqual([30, null]);
    // 90% loop + 10% wrong-language would stack to 100%+; side by side nothing passes 100.
    expect(model.yMax).toBe(100);
    for (const s of model.series) for (const v of [...s.values, ...s.high]) expect(v ?? 0).toBeLessThanOrEqual(100);
    expect(targets[0]![1]).toEqual({ group: { model: 'stories', method: 'urial', language: 'fr' }, critical: { label: 'infinite-loop', source: 'detector' } });
  });
});

describe('Results params', () => {
  it('reads the filter with the reader keys and the Results-only ones', () => {
    const q = paramsToResultsQuery({ lang: 'fr,es', method: 'urial', model: '2', cat: 'regular', diff: 'hard', judge: 'gguf:abc', na: 'as-5', by: 'model,language,bogus', a: 'urial', b: 'zero-shot' });
    expect(q).toEqual({
      filter: { langs: ['fr', 'es'], methods: ['urial'], modelIds: [2], category: 'regular', difficulty: 'hard', judge: 'gguf:abc', naPolicy: 'as-5' },
      groupBy: ['model', 'language'],
      source: 'detector',
      compare: { dimension: 'method', a: 'urial', b: 'zero-shot' },
    });
    expect(paramsToResultsQuery({}).groupBy).toEqual(['language', 'method']);
    expect(paramsToResultsQuery({ by: 'nonsense' }).groupBy).toEqual(['language', 'method']);
    expect(paramsToResultsQuery({ by: 'all' }).groupBy).toEqual([]);
    expect(resultsQueryToParams({ ...paramsToResultsQuery({}), groupBy: [] }).by).toBe('all');
    expect(paramsToResultsQuery({}).filter).toEqual({ naPolicy: 'exclude' });
  });

  it('round-trips through params', () => {
    const params = { lang: 'fr', method: 'chat,urial', rubric: 'just-eval-aspects@1', jlang: 'en', by: 'family,role', src: 'human', cmp: 'model', a: 'm1', b: 'm2' };
    const q = paramsToResultsQuery(params);
    expect(patchParams({}, resultsQueryToParams(q))).toEqual(params);
  });

  it('narrows the reader filter to a bar: language, method, and its model as ids', () => {
    const modelIdsOf = (key: string, value: string) => (key === 'model' && value === 'stories' ? [3] : key === 'role' && value === 'base' ? [3, 4] : []);
    const filter = { naPolicy: 'exclude' as const, category: 'regular', taskType: 'coding', langs: ['en', 'fr'], rubricVersion: 'r@1' };
    expect(readerFilterFor({ group: { language: 'fr', method: 'urial', model: 'stories' } }, filter, modelIdsOf)).toEqual({
      category: 'regular',
      taskType: 'coding',
      langs: ['fr'],
      methods: ['urial'],
      modelIds: [3],
    });
    // The active model filter and the bar's role intersect.
    // A labelled prompt-language arm is not a method the reader filters by: no click-through rather than one that mixes arms.
    expect(readerFilterFor({ group: { language: 'fr', method: 'URIAL (en prompt)' } }, filter, modelIdsOf)).toBeNull();
    expect(readerFilterFor({ group: { role: 'base' } }, { ...filter, modelIds: [4, 9] }, modelIdsOf)?.modelIds).toEqual([4]);
    // A model the library no longer has: no link rather than a link to too many generations.
    expect(readerFilterFor({ group: { model: 'gone' } }, filter, modelIdsOf)).toBeNull();
  });

  it('keeps an aspect bar to the generations scored on it, a histogram bar to its rounding bin', () => {
    const none = () => [];
    const exclude = { naPolicy: 'exclude' as const, judge: 'gguf:ab' };
    expect(readerFilterFor({ group: { language: 'en' }, aspect: 'depth' }, exclude, none)?.score).toEqual({ aspect: 'depth', min: 1, max: 5, judge: 'gguf:ab' });
    expect(readerFilterFor({ group: {}, aspect: 'depth', score: 3 }, exclude, none)?.score).toEqual({ aspect: 'depth', min: 2.5, max: 3.499, judge: 'gguf:ab' });
    expect(readerFilterFor({ group: {}, aspect: 'depth', score: 1 }, { naPolicy: 'exclude' }, none)?.score).toEqual({ aspect: 'depth', min: 1, max: 1.499 });
    expect(readerFilterFor({ group: {}, aspect: 'depth', score: 5 }, { naPolicy: 'exclude' }, none)?.score).toEqual({ aspect: 'depth', min: 4.5, max: 5 });
    // N/A counted as 5: all-N/A generations are in the bar, and no score range selects them.
    expect(readerFilterFor({ group: {}, aspect: 'depth' }, { naPolicy: 'as-5' }, none)?.score).toBeUndefined();
  });

  it('keeps a critical-error bar to the generations with its label, from the detectors or the annotators', () => {
    const none = () => [];
    const filter = { naPolicy: 'exclude' as const };
    expect(readerFilterFor({ group: {}, critical: { label: 'code-leak', source: 'detector' } }, filter, none)).toEqual({ critical: 'code-leak' });
    expect(readerFilterFor({ group: {}, critical: { label: ANY_CRITICAL_ERROR, source: 'human' } }, filter, none)).toEqual({ critical: 'any', criticalSource: 'annotator' });
  });
});
