/** Issue 13: `detect --all` on a store detected with older detector versions replaces their findings. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services/createServices';
import { DETECTORS } from '../../../src/main/core/detectors';
import { REPO } from '../../support/paths';

describe('re-detecting an old store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-redetect-'));
  const workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
  afterAll(async () => {
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces v1 findings with the current versions, which are recorded', async () => {
    const run = await workbench.generations.import(join(REPO, 'tests', 'fixtures', 'generations', 'critical.jsonl'), { lang: 'en' });
    const ids = workbench.store.generations.forRun(run.id).map((g) => g.id);
    // An old store: every generation carries a language@1.1.0 false alarm (the over-flagging of issue 13).
    const stale = { label: 'wrong-language' as const, detector: 'language', version: '1.1.0', score: 0.6, evidence: { spans: [], note: '1 of 30 checked line(s) not in en (tr)' } };
    for (const id of ids) workbench.store.detections.save(id, [{ result: { detector: 'language', version: '1.1.0', signals: {}, findings: [stale] }, settings: {} }]);

    // Without --all, missing() already sees that the current versions have not run.
    expect(workbench.store.detections.missing(run.id, DETECTORS.map((d) => ({ name: d.name, version: d.version })))).toEqual(ids);
    const { generations } = await workbench.detection.detectRun(run.id, { all: true });
    expect(generations).toBe(ids.length);

    for (const id of ids) {
      const stored = workbench.store.detections.forGeneration(id);
      expect(stored.map((d) => `${d.detector}@${d.version}`).sort()).toEqual(DETECTORS.map((d) => `${d.name}@${d.version}`).sort());
      expect(stored.flatMap((d) => d.findings).some((f) => f.version === '1.1.0')).toBe(false);
    }
    expect(workbench.store.detections.missing(run.id, DETECTORS.map((d) => ({ name: d.name, version: d.version })))).toEqual([]);
  });
});
