import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../src/main/api/createApi';
import { createServices } from '../../../src/main/services/createServices';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../src/shared/api';
import { REPO } from '../../support/paths';

// Issue 13 item 7: confirming one detector suggestion with `y` leaves the others pending; only `n` rejects. The
// Agreement tab (annotations.agreement) counts decided suggestions only. Real store, real detectors, through the API.
describe('annotation suggestions: accepted, rejected, pending', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-decisions-'));
  const workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
  const api: Api = createApi(workbench, { transport: 'http' });
  let twoSuggestions = 0;
  let oneSuggestion = 0;

  async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
    const r = await api.handle(method, params);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result as ApiResponse<M>;
  }
  const suggested = async (generationId: number) => (await call('annotations.get', { generationId, annotator: 'ana' })).findings.map((f) => f.label).sort();
  const detector = async (label: string) =>
    (await call('annotations.agreement', {})).detector.find((d) => d.label === label && d.lang === 'all')!;

  beforeAll(async () => {
    // Requests in English; answers written for this test: one runs into a loop AND leaks code, one only leaks code.
    const loopLine = 'Then we add one more line to the list and keep going.\n';
    const code = '```python\nfor i in range(10):\n    print(i * i)\n```\n';
    const file = join(dir, 'answers.jsonl');
    writeFileSync(
      file,
      [
        { id: 0, instruction: 'Tell me about your weekend.', output: `My weekend was quiet.\n${code}${loopLine.repeat(60)}` },
        { id: 1, instruction: 'How do I boil an egg?', output: `Put the egg in boiling water for nine minutes, then cool it.\n${code}` },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const runId = (await workbench.generations.import(file, { lang: 'en' })).id;
    [twoSuggestions, oneSuggestion] = workbench.store.generations.forRun(runId).map((g) => g.id) as [number, number];
  });
  afterAll(async () => {
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the detectors suggest two labels on one answer and one on the other', async () => {
    expect(await suggested(twoSuggestions)).toEqual(['code-leak', 'infinite-loop']);
    expect(await suggested(oneSuggestion)).toEqual(['code-leak']);
  });

  it('confirming one suggestion with y leaves the other pending: it is no rejection in the Agreement tab', async () => {
    // `y` on infinite-loop only (what the Annotate view sends): code-leak stays pending on this generation.
    await call('annotations.save', { generationId: twoSuggestions, annotator: 'ana', labels: ['infinite-loop'], decisions: { 'infinite-loop': 'accepted' } });
    await call('annotations.save', { generationId: oneSuggestion, annotator: 'ana', labels: ['code-leak'], decisions: { 'code-leak': 'accepted' } });
    const loop = await detector('infinite-loop');
    expect([loop.n, loop.precision, loop.recall]).toEqual([2, 1, 1]);
    // code-leak: only the decided suggestion counts (a hit); the pending one is neither a hit nor a false alarm.
    const leak = await detector('code-leak');
    expect([leak.n, leak.precision, leak.recall]).toEqual([1, 1, 1]);
  });

  it('n rejects: the suggestion then counts as a false alarm', async () => {
    await call('annotations.save', {
      generationId: twoSuggestions,
      annotator: 'ana',
      labels: ['infinite-loop'],
      decisions: { 'infinite-loop': 'accepted', 'code-leak': 'rejected' },
    });
    const leak = await detector('code-leak');
    expect([leak.n, leak.precision, leak.recall]).toEqual([2, 0.5, 1]);
  });
});
