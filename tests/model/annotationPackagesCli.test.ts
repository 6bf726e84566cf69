import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../src/shared/api';
import { createApi } from '../../src/main/api/createApi';
import { createServices } from '../../src/main/services/createServices';
import { openStore } from '../../src/main/store/openStore';
import { cli } from '../support/cli';
import { REPO, STORIES, URIAL_DIR } from '../support/paths';

/**
 * Issue 16 end to end through the `align` CLI, three data folders: the owner generates with a real GGUF and
 * hands the study out; two annotators open their packages in empty folders (no model, no runs) and send their
 * annotations back; the owner merges and reads the agreement. The annotating itself is the Annotate view's job:
 * here it goes through the same API calls the view makes (annotations.queue/get/save).
 */
describe('annotation packages through the CLI: owner → two annotators → owner', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'align-packages-cli-'));
  const owner = ['--data-dir', join(root, 'owner')];
  const anaDir = join(root, 'ana');
  const benDir = join(root, 'ben');
  const out = join(root, 'out');
  let studyId = '';
  let anaPkg = '';
  let benPkg = '';
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The API over one data folder, for the annotating step; closed before the CLI touches that folder again. */
  async function withApi<T>(dataDir: string, work: (call: <M extends ApiMethod>(m: M, p: ApiRequest<M>) => Promise<ApiResponse<M>>) => Promise<T>): Promise<T> {
    const services = createServices({ dataDir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
    const api = createApi(services, { transport: 'http' });
    try {
      return await work(async (method, params) => {
        const r = await api.handle(method, params);
        if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
        return r.result as never;
      });
    } finally {
      await api.shutdown();
      await services.close();
    }
  }

  /** The package's outputs by item id, as the annotator's store holds them. */
  const itemsOf = (dataDir: string, annotator: string) =>
    withApi(dataDir, async (call) => {
      const [pkg] = await call('annotationPackages.list', {});
      const { entries } = await call('annotations.queue', { runIds: pkg!.runIds, annotator, order: 'flagged-first', limit: 1000 });
      const items = await Promise.all(entries.map((e) => call('annotations.get', { generationId: e.generationId, annotator })));
      return new Map(items.map((i) => [i.itemId, i.generationId]));
    });

  beforeAll(() => {
    // The owner: 12 real stories260K outputs, with the detectors run on them.
    for (const args of [
      ['models', 'add', STORIES],
      ['datasets', 'import', join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), '--lang', 'en', '--name', 'sample'],
      ['runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'sample', '--limit', '12', '--max-tokens', '12', '--seed', '3', '--threads', '1'],
      ['runs', 'start', '1'],
      ['detect', '--run', '1'],
    ]) {
      const r = cli([...owner, ...args]);
      if (r.code !== 0) throw new Error(`${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    }
  }, 300_000);

  it('package: one file per annotator, their paths alone on stdout', () => {
    const guidelines = join(root, 'guidelines.txt');
    writeFileSync(guidelines, 'Flag a loop only when a sentence repeats three times.\n');
    const r = cli([...owner, 'annotations', 'package', '--runs', '1', '--annotators', 'ana,ben', '--overlap', '50', '--seed', '1', '--out-dir', out, '--study', 'pilot', '--guidelines', guidelines]);
    expect(r.stderr).toMatch(/study "pilot" \([0-9a-f-]{36}\): 12 outputs, 6 for every annotator/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(out, 'pilot-ana.alignpkg')}\n${join(out, 'pilot-ben.alignpkg')}\n`);
    studyId = /\(([0-9a-f-]{36})\)/.exec(r.stderr)![1]!;
    const studies = cli([...owner, 'annotations', 'studies']);
    expect(studies.stdout.split('\t').slice(0, 4)).toEqual([studyId, 'pilot', 'ana,ben', 'overlap 50%']);
    // A usage error exits 2; a file that cannot be read exits 1, naming it.
    expect(cli([...owner, 'annotations', 'package', '--runs', '1', '--annotators', 'ana', '--out-dir', out, '--overlap', 'half']).code).toBe(2);
    const noGuidelines = cli([...owner, 'annotations', 'package', '--runs', '1', '--annotators', 'ana', '--out-dir', out, '--guidelines', join(root, 'none.txt')]);
    expect([noGuidelines.code, noGuidelines.stderr]).toEqual([1, expect.stringMatching(/--guidelines .*none\.txt: cannot read it \(ENOENT\)/)]);
  });

  it('a tampered package (one output edited) is refused by open, exit 1, nothing written', () => {
    const text = gunzipSync(readFileSync(join(out, 'pilot-ben.alignpkg'))).toString('utf8');
    const cut = text.indexOf('\n');
    const content = JSON.parse(text.slice(cut + 1)) as { items: { outputRaw: string }[] };
    const body = text.slice(cut + 1).replace(JSON.stringify(content.items[0]!.outputRaw), JSON.stringify(`${content.items[0]!.outputRaw} edited`));
    expect(body).not.toBe(text.slice(cut + 1));
    const tampered = join(root, 'tampered.alignpkg');
    writeFileSync(tampered, gzipSync(`${text.slice(0, cut)}\n${body}`));
    const elsewhere = ['--data-dir', join(root, 'mallory')];
    const r = cli([...elsewhere, 'annotations', 'open', tampered]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${tampered}: the content does not match the hash in its manifest: the file was changed after it was written, or damaged in transit. Ask for a fresh copy.\n`);
    expect(cli([...elsewhere, 'annotations', 'packages']).stdout).toBe('');
  });

  it('annotators open their packages in empty folders, annotate, export; the owner merges and reads kappa', async () => {
    const anaOpen = cli(['--data-dir', anaDir, 'annotations', 'open', join(out, 'pilot-ana.alignpkg')]);
    expect(anaOpen.code).toBe(0);
    expect(anaOpen.stdout).toMatch(/^study "pilot" for ana: 0\/9 annotated · runs \d+\n/);
    anaPkg = anaOpen.lastLine;
    const benOpen = cli(['--data-dir', benDir, 'annotations', 'open', join(out, 'pilot-ben.alignpkg')]);
    expect(benOpen.code).toBe(0);
    benPkg = benOpen.lastLine;
    expect(cli(['--data-dir', anaDir, 'annotations', 'open', join(out, 'pilot-ana.alignpkg')]).lastLine).toBe(anaPkg); // again: the same package
    expect(cli(['--data-dir', anaDir, 'runs', 'list']).stdout.trim().split('\n')).toHaveLength(1); // the package's outputs, no model

    const anaItems = await itemsOf(anaDir, 'ana');
    const benItems = await itemsOf(benDir, 'ben');
    const overlap = [...anaItems.keys()].filter((id) => benItems.has(id)).sort((a, b) => Number(a) - Number(b));
    expect([anaItems.size, benItems.size, overlap.length]).toEqual([9, 9, 6]);
    // On the 6 shared outputs: infinite-loop from ana on 0,1,2 and from ben on 0,1,3; code-leak from both on 0.
    // Hand computation for infinite-loop: both yes 2, ana only 1, ben only 1, both no 2 → po = 4/6; each says yes
    // on half, pe = ½·½ + ½·½ = ½; κ = (4/6 − ½) / (1 − ½) = 1/3. code-leak: all agree, one yes → κ = 1.
    const labelsFor = (loops: number[]) => (itemId: string) => {
      const i = overlap.indexOf(itemId);
      return [...(loops.includes(i) ? ['infinite-loop'] : []), ...(i === 0 ? ['code-leak'] : [])];
    };
    const annotate = (dataDir: string, annotator: string, items: Map<string, number>, labels: (itemId: string) => string[]) =>
      withApi(dataDir, async (call) => {
        for (const [itemId, generationId] of items) await call('annotations.save', { generationId, annotator, labels: labels(itemId), note: itemId === overlap[2] ? 'loops from the second line' : null });
      });
    await annotate(anaDir, 'ana', anaItems, labelsFor([0, 1, 2]));
    // ben leaves one of his own outputs undone (the shared ones first, so all of those are done).
    const benOrder = new Map([...overlap.map((id) => [id, benItems.get(id)!] as const), ...[...benItems].filter(([id]) => !overlap.includes(id))]);
    await annotate(benDir, 'ben', new Map([...benOrder].slice(0, 8)), labelsFor([0, 1, 3]));

    const anaFile = join(root, 'pilot-ana.alignann');
    const benFile = join(root, 'pilot-ben.alignann');
    const anaExport = cli(['--data-dir', anaDir, 'annotations', 'export-package', '--package', anaPkg, '--out', anaFile]);
    expect(anaExport.code).toBe(0);
    expect(anaExport.stdout).toMatch(new RegExp(`^wrote 9 of 9 annotations \\(\\d+ s of work\\) to ${anaFile}\\n$`));
    expect(cli(['--data-dir', benDir, 'annotations', 'export-package', '--package', benPkg, '--out', benFile]).stdout).toMatch(/^wrote 8 of 9 annotations/);
    expect(cli(['--data-dir', benDir, 'annotations', 'export-package', '--package', anaPkg, '--out', benFile]).code).toBe(1); // not opened there

    // A return merged into a store without the study: refused, exit 1.
    const foreign = cli(['--data-dir', anaDir, 'annotations', 'merge', anaFile]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/belongs to study "pilot" \(.+\), which is not in this store/);

    const merged = cli([...owner, 'annotations', 'merge', anaFile, benFile]);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toBe(`merged ${anaFile}: ana, 9 new or changed, 0 unchanged\nmerged ${benFile}: ben, 8 new or changed, 0 unchanged\n`);
    const lines = merged.stdout.trim().split('\n');
    expect(lines[0]).toBe(`study "pilot" (${studyId}) · runs 1`);
    expect(lines.slice(2, 4).map((l) => l.split('\t').slice(0, 5))).toEqual([
      ['ana', '9/9', '100.0%', expect.stringMatching(/^\d+ s$/), '2'],
      ['ben', '8/9', '88.9%', expect.stringMatching(/^\d+ s$/), '2'],
    ]);
    expect(lines[4]).toBe('overlap: 6 compared · 2 disagreements · 0 resolved');
    expect(lines[5]).toBe('agreement on 6 outputs annotated by ana, ben:');
    expect(lines).toContain('  infinite-loop\tcohen kappa 0.333\t(n 6)');
    expect(lines).toContain('  code-leak\tcohen kappa 1.000\t(n 6)');
    expect(cli([...owner, 'annotations', 'report', '--study', studyId]).stdout).toBe(merged.stdout);

    // The exact value, from the Agreement tab's call.
    const agreement = await withApi(join(root, 'owner'), (call) => call('annotations.agreement', { runIds: [1], annotators: ['ana', 'ben'] }));
    expect(agreement.items).toBe(6);
    expect(agreement.labels.find((l) => l.label === 'infinite-loop')).toMatchObject({ statistic: 'cohen', n: 6 });
    expect(agreement.labels.find((l) => l.label === 'infinite-loop')!.kappa).toBeCloseTo(1 / 3, 12);
    expect(agreement.labels.find((l) => l.label === 'code-leak')!.kappa).toBeCloseTo(1, 12);

    // The same file again is a duplicate: exit 1, nothing changes.
    const again = cli([...owner, 'annotations', 'merge', anaFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a duplicate: this export was already merged/);
  });

  it('an annotation of an output re-generated since packaging is refused on merge, exit 1, nothing written', async () => {
    // ana notes one more thing and exports again; meanwhile the owner re-generates one of her outputs.
    const anaItems = await itemsOf(anaDir, 'ana');
    const [itemId, generationId] = [...anaItems][0]!;
    await withApi(anaDir, (call) => call('annotations.save', { generationId, annotator: 'ana', labels: ['truncated'] }));
    const later = join(root, 'pilot-ana-2.alignann');
    expect(cli(['--data-dir', anaDir, 'annotations', 'export-package', '--package', anaPkg, '--out', later]).code).toBe(0);

    const store = openStore(join(root, 'owner', 'workbench.sqlite'));
    const target = store.reader.query({ runIds: [1] }, 0, 100).rows.map((r) => store.reader.get(r.id)!).find((g) => g.itemId === itemId)!;
    store.db.prepare('DELETE FROM generations WHERE id = ?').run(target.id);
    store.generations.insert({ ...target, outputRaw: `${target.outputRaw} once more`, output: `${target.output} once more` });
    const history = () => store.db.prepare('SELECT count(*) AS n FROM annotations').get();
    const before = history();
    store.close();

    const report = cli([...owner, 'annotations', 'report', '--study', studyId]).stdout;
    const r = cli([...owner, 'annotations', 'merge', later]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${later}: 1 annotation(s) are of outputs that changed (re-generated or deleted) since the package was made: item ${itemId} (en). Package those items again.\n`);
    const reopened = openStore(join(root, 'owner', 'workbench.sqlite'));
    expect(reopened.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual(before);
    reopened.close();
    expect(cli([...owner, 'annotations', 'report', '--study', studyId]).stdout).toBe(report);
  });
});
