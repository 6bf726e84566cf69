/** Issue 13: `y` on one suggestion must not reject the others (AnnotateState, with the API and router stubbed). */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../src/shared/detection';

const saved: { decisions: Record<string, string>; labels: string[] }[] = [];
vi.mock('../../../src/renderer/src/lib/api', () => ({
  api: {
    call: vi.fn(async (method: string, req: { generationId: number; annotator: string; labels: string[]; decisions: Record<string, string> }) => {
      if (method !== 'annotations.save') throw new Error(`unexpected ${method}`);
      saved.push({ decisions: req.decisions, labels: req.labels });
      return { generationId: req.generationId, annotator: req.annotator, labels: req.labels, note: null, decisions: req.decisions };
    }),
  },
}));
vi.mock('../../../src/renderer/src/lib/router.svelte', () => ({ router: { paramsOf: () => ({}), update: () => {} } }));

const { AnnotateState } = await import('../../../src/renderer/src/state/annotate.svelte');

const finding = (label: Finding['label']): Finding => ({ label, detector: 'd', version: '1', score: 0.9, evidence: { spans: [], note: '' } });

describe('AnnotateState suggestions', () => {
  beforeEach(() => {
    saved.length = 0;
  });

  it('y accepts only the focused suggestion; the other stays pending; only n rejects', async () => {
    const s = new AnnotateState();
    s.annotator = 'ann';
    s.item = { generationId: 7, findings: [finding('infinite-loop'), finding('code-leak')], annotation: null } as never;
    expect(s.focusedSuggestion?.label).toBe('infinite-loop');
    s.decide('accepted');
    expect(s.suggestions.map((x) => [x.label, x.decision])).toEqual([
      ['infinite-loop', 'accepted'],
      ['code-leak', null],
    ]);
    expect(s.focusedSuggestion?.label).toBe('code-leak');
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ decisions: { 'infinite-loop': 'accepted' }, labels: ['infinite-loop'] });
    s.decide('rejected');
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    expect(saved[1]!.decisions).toEqual({ 'infinite-loop': 'accepted', 'code-leak': 'rejected' });
    expect(s.focusedSuggestion).toBeNull();
  });
});
