import { describe, expect, it } from 'vitest';
import { dpoPairs, type DpoCandidate } from '../../../src/main/core/analysis';

let nextId = 1;
const answer = (itemId: string, output: string, score: number | null, labels: DpoCandidate['labels'] = [], lang = 'en'): DpoCandidate => ({
  generationId: nextId++,
  runId: 1,
  itemId,
  lang,
  instruction: `question ${itemId}`,
  output,
  score,
  labels,
});

describe('dpoPairs', () => {
  it('chooses the best clean answer and rejects a critical error before a merely low score', () => {
    const loop = answer('1', 'the the the the', 4.8, [{ label: 'infinite-loop', source: 'detector' }]);
    const best = answer('1', 'A good answer.', 4.2);
    const worse = answer('1', 'A weak answer.', 2.0);
    const [pair, ...rest] = dpoPairs([loop, best, worse]);
    expect(rest).toEqual([]);
    expect(pair).toMatchObject({ prompt: 'question 1', chosen: 'A good answer.', rejected: 'the the the the' });
    expect(pair!.metadata).toMatchObject({
      item_id: '1',
      lang: 'en',
      chosen: { generation_id: best.generationId, score: 4.2, labels: [] },
      rejected: { generation_id: loop.generationId, labels: ['infinite-loop (detector)'], reason: 'critical error: infinite-loop (detector)' },
    });
  });

  it('falls back to the lowest-scored answer below the chosen one; pairs are per item × language', () => {
    const pairs = dpoPairs([
      answer('2', 'fine', 3.0, [], 'fr'),
      answer('2', 'poor', 1.5, [{ label: 'truncated', source: 'human' }], 'fr'),
      answer('2', 'middling', 2.5, [], 'fr'),
      answer('2', 'english answer', 5, [], 'en'),
    ]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ chosen: 'fine', rejected: 'poor', metadata: { lang: 'fr', rejected: { reason: 'lowest mean aspect score (1.50 < 3.00)' } } });
  });

  it('skips items without a distinct pair and never pairs equal texts', () => {
    expect(dpoPairs([answer('3', 'same', 4), answer('3', ' same ', 2)])).toEqual([]); // equal once trimmed
    expect(dpoPairs([answer('4', 'a', 3), answer('4', 'b', 3)])).toEqual([]); // no lower score, no critical error
    expect(dpoPairs([answer('5', 'x', 2, [{ label: 'code-leak', source: 'human' }]), answer('5', 'y', null)])).toEqual([]); // nothing clean and scored
    expect(dpoPairs([answer('6', 'empty-labelled', 5, [{ label: 'empty', source: 'detector' }]), answer('6', 'ok', 1)])).toEqual([]);
  });
});
