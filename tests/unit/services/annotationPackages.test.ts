import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationAgreement } from '../../../src/main/services/annotation/annotationReports';
import { sha256Hex } from '../../../src/main/core/annotationPackages/contentKey';
import { encodePackageFile } from '../../../src/main/core/annotationPackages/packageFile';
import { codeDetector, loopDetector } from '../../../src/main/core/detectors';
import { AnnotationPackages } from '../../../src/main/services/annotation/AnnotationPackages';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { ADJUDICATOR, type CreatePackagesResult, type OpenedPackage } from '../../../src/shared/annotations';
import { REPO, SHARED } from '../../support/paths';

/** Real outputs: two models of just-eval's leaderboard (first 20 items each) and the project's loop/code fixture. */
const LEADERBOARD = join(SHARED, 'data', 'just_eval', 'leaderboard_dev');
const FIXTURE = join(REPO, 'tests', 'fixtures', 'generations', 'annotate.jsonl');
type Row = { id: string | number; instruction: string; output: string; generator?: string };

function seedRun(store: Store, name: string, method: string, rows: Row[]): number {
  const items = rows.map((r) => ({ id: String(r.id), instruction: r.instruction, metadata: {} }));
  const dataset = store.datasets.insert({ name, lang: 'en', sourcePath: name, sourceSha256: '-', format: 'json' }, items);
  const run = store.runs.insert({ name, kind: 'imported', modelId: null, datasetId: dataset.id, config: null, method: { method }, environment: {}, status: 'done', itemIds: items.map((i) => i.id) });
  for (const r of rows) {
    const id = store.generations.insert({
      runId: run.id, itemId: String(r.id), prompt: '', outputRaw: r.output, output: r.output, finishReason: 'stop', error: null,
      promptTokens: 0, evaluatedPromptTokens: 0, outputTokens: 0, wallMs: 0, tokensPerSecond: 0, seed: 0, generator: r.generator ?? name,
    });
    const input = { outputRaw: r.output, output: r.output, finishReason: 'stop' as const, outputTokens: 0, maxTokens: null, expectedLang: 'en', instruction: r.instruction, taskTypes: null };
    store.detections.save(id, [
      { result: loopDetector.detect(input, loopDetector.defaultSettings) as never, settings: loopDetector.defaultSettings },
      { result: codeDetector.detect(input, codeDetector.defaultSettings) as never, settings: codeDetector.defaultSettings },
    ]);
  }
  return run.id;
}

/** A package's two JSON texts, for tampering tests. */
const unpack = (file: string) => {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const cut = text.indexOf('\n');
  return { manifest: JSON.parse(text.slice(0, cut)) as Record<string, unknown>, body: text.slice(cut + 1) };
};
const repack = (file: string, manifest: unknown, body: string) => writeFileSync(file, gzipSync(`${JSON.stringify(manifest)}\n${body}`));

describe('annotation packages: owner → two annotators → owner, each with its own data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'align-packages-'));
  const folder = (name: string) => {
    mkdirSync(join(root, name), { recursive: true });
    return join(root, name);
  };
  let owner: Store;
  let ana: Store;
  let ben: Store;
  let runIds: number[] = [];
  let made: CreatePackagesResult;
  let anaPkg: OpenedPackage;
  let benPkg: OpenedPackage;

  beforeAll(() => {
    owner = openStore(join(folder('owner'), 'workbench.sqlite'));
    ana = openStore(join(folder('ana'), 'workbench.sqlite'));
    ben = openStore(join(folder('ben'), 'workbench.sqlite'));
    const board = (model: string) => (JSON.parse(readFileSync(join(LEADERBOARD, `${model}.to_eval.json`), 'utf8')) as Row[]).slice(0, 20);
    runIds = [
      seedRun(owner, 'yi', 'chat', board('Yi-6B-Chat')),
      seedRun(owner, 'tulu', 'chat', board('tulu-2-dpo-7b')),
      seedRun(owner, 'fixture', 'urial', readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row)),
    ];
  });
  afterAll(() => {
    for (const s of [owner, ana, ben]) s?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('packages a selection: one file per annotator, seeded, with the overlap in both', () => {
    made = new AnnotationPackages(owner).create({
      studyName: 'pilot study', selection: { runIds }, annotators: ['ana', 'ben'], overlapPercent: 25, seed: 1,
      guidelines: 'Flag loops, code where none was asked, wrong language.', outDir: folder('out'),
    });
    expect(made.items).toBe(52);
    expect(made.overlapItems).toBe(13); // round(25% of 52)
    expect(made.files.map((f) => [f.annotator, f.path.split('/').pop(), f.items])).toEqual([
      ['ana', 'pilot_study-ana.alignpkg', 13 + 20],
      ['ben', 'pilot_study-ben.alignpkg', 13 + 19],
    ]);
    // Same seed, same split: a second study over the same selection hands out the same items.
    const again = new AnnotationPackages(owner).create({ studyName: 'pilot again', selection: { runIds }, annotators: ['ana', 'ben'], overlapPercent: 25, seed: 1, outDir: folder('out') });
    const keys = (file: string) => (JSON.parse(unpack(file).body) as { items: { key: string }[] }).items.map((i) => i.key);
    expect(keys(again.files[0]!.path)).toEqual(keys(made.files[0]!.path));
    expect(() => new AnnotationPackages(owner).create({ studyName: 'pilot study', selection: { runIds }, annotators: ['ana'], overlapPercent: 0, seed: 1, outDir: folder('out') })).toThrow(/already exists/);
  });

  it('opens a package in an annotator store with no model and no runs; the Annotate machinery works on it', () => {
    const service = new AnnotationPackages(ana);
    anaPkg = service.open(made.files[0]!.path);
    expect(anaPkg).toMatchObject({ studyName: 'pilot study', annotator: 'ana', blind: false, progress: { done: 0, total: 33 } });
    expect(anaPkg.runIds.length).toBe(3);
    expect(service.open(made.files[0]!.path).packageId).toBe(anaPkg.packageId); // opening twice is harmless
    const queue = ana.annotations.queue({ runIds: anaPkg.runIds, annotator: 'ana', order: 'flagged-first', limit: 1000 });
    expect(queue.total).toBe(33);
    // The detector suggestions travelled with the outputs (the fixture's loops and code).
    expect(queue.entries[0]!.findings).toBeGreaterThan(0);
    const g = ana.reader.get(queue.entries[0]!.generationId)!;
    const original = owner.reader.query({ runIds }, 0, 1000).rows.map((r) => owner.reader.get(r.id)!).find((o) => o.outputRaw === g.outputRaw && o.itemId === g.itemId);
    expect(original?.instruction).toBe(g.instruction);
    benPkg = new AnnotationPackages(ben).open(made.files[1]!.path);
    expect(benPkg.progress).toEqual({ done: 0, total: 32 });
  });

  it('annotates, exports and merges back; kappa on the overlap equals the hand-computed value', () => {
    // Both annotators see the overlap items; order them the same way on both sides (by content key).
    const keysOf = (file: string) => new Map((JSON.parse(unpack(file).body) as { items: { key: string; overlap: boolean }[] }).items.map((i) => [i.key, i.overlap]));
    const anaOverlap = new Set([...keysOf(made.files[0]!.path)].filter(([, o]) => o).map(([k]) => k));
    const sorted = (s: Store, p: OpenedPackage) => s.annotationPackages.packageItems(p.packageId).filter((i) => anaOverlap.has(i.key)).sort((a, b) => a.key.localeCompare(b.key));
    // infinite-loop on the 13 overlap items: ana says yes on 0–4, ben on 0–2 and 5. code-leak: both on item 0.
    const anaLoop = [0, 1, 2, 3, 4];
    const benLoop = [0, 1, 2, 5];
    sorted(ana, anaPkg).forEach((it, i) =>
      ana.annotations.save(it.generationId, 'ana', { labels: [...(anaLoop.includes(i) ? ['infinite-loop'] : []), ...(i === 0 ? ['code-leak'] : [])], note: i === 3 ? 'repeats after the 2nd paragraph' : null }),
    );
    sorted(ben, benPkg).forEach((it, i) => ben.annotations.save(it.generationId, 'ben', { labels: [...(benLoop.includes(i) ? ['infinite-loop'] : []), ...(i === 0 ? ['code-leak'] : [])] }));
    // Their own items: ana does all, ben leaves two.
    const rest = (s: Store, p: OpenedPackage) => s.annotationPackages.packageItems(p.packageId).filter((i) => !anaOverlap.has(i.key));
    rest(ana, anaPkg).forEach((it) => ana.annotations.save(it.generationId, 'ana', { labels: [] }));
    rest(ben, benPkg).slice(2).forEach((it) => ben.annotations.save(it.generationId, 'ben', { labels: [] }));
    expect(new AnnotationPackages(ana).package(anaPkg.packageId).progress).toEqual({ done: 33, total: 33 });
    expect(new AnnotationPackages(ben).package(benPkg.packageId).progress).toEqual({ done: 30, total: 32 });

    const anaFile = join(folder('ana'), 'pilot-ana.alignann');
    const benFile = join(folder('ben'), 'pilot-ben.alignann');
    expect(new AnnotationPackages(ana).export(anaPkg.packageId, anaFile)).toMatchObject({ annotations: 33, items: 33 });
    expect(new AnnotationPackages(ben).export(benPkg.packageId, benFile)).toMatchObject({ annotations: 30, items: 32 });

    const service = new AnnotationPackages(owner);
    const merged = service.merge([anaFile, benFile]);
    expect(merged.files.map((f) => [f.annotator, f.annotations, f.written])).toEqual([['ana', 33, 33], ['ben', 30, 30]]);

    // Agreement tab (existing code) over the study's runs and people. Hand computation, n = 13 overlap items:
    // both yes 3, ana only 2, ben only 1, both no 7: po = 10/13, pe = (5·4 + 8·9)/13² = 92/169, κ = 38/77.
    const agreement = annotationAgreement(owner, { runIds, annotators: ['ana', 'ben'] });
    expect(agreement.items).toBe(13);
    expect(agreement.labels.find((l) => l.label === 'infinite-loop')!.kappa).toBeCloseTo(38 / 77, 12);
    expect(agreement.labels.find((l) => l.label === 'code-leak')!.kappa).toBeCloseTo(1, 12);
    const note = owner.annotations.currentIn(runIds, ['ana']).find((a) => a.note);
    expect(note?.note).toBe('repeats after the 2nd paragraph');

    const report = service.report(made.studyId);
    expect(report.compared).toBe(13);
    expect(report.disagreements).toBe(3);
    expect(report.annotators.map((a) => [a.name, a.assigned, a.annotated, a.disagreements])).toEqual([['ana', 33, 33, 3], ['ben', 32, 30, 3]]);
    expect(report.annotators[0]!.coverage).toBe(1);
    expect(report.annotators[1]!.coverage).toBeCloseTo(30 / 32, 12);
    expect(report.annotators.every((a) => a.activeSeconds >= 0 && a.lastExport !== null)).toBe(true);

    // Resolve queue: the three disputed items; the resolution is a third, adjudicated annotation.
    const queue = service.resolveQueue(made.studyId);
    expect(queue.map((e) => e.disputed)).toEqual([['infinite-loop'], ['infinite-loop'], ['infinite-loop']]);
    owner.annotations.save(queue[0]!.generationId, ADJUDICATOR, { labels: ['infinite-loop'], note: 'loops from line 4' });
    expect(service.report(made.studyId).resolved).toBe(1);
    expect(service.resolveQueue(made.studyId).at(-1)).toMatchObject({ generationId: queue[0]!.generationId, adjudicated: { labels: ['infinite-loop'] } });
    // The adjudication does not count as a third person in the agreement.
    expect(annotationAgreement(owner, { runIds, annotators: ['ana', 'ben'] }).labels.find((l) => l.label === 'infinite-loop')!.kappa).toBeCloseTo(38 / 77, 12);

    // Duplicates: the same file again, or a copy of it, is refused and changes nothing.
    const before = owner.annotations.currentIn(runIds).length;
    expect(() => service.merge([anaFile])).toThrow(/duplicate: this export was already merged/);
    const copy = join(root, 'copy.alignann');
    copyFileSync(anaFile, copy);
    expect(() => service.merge([copy, copy])).toThrow(/duplicate/);
    // A file from another study: ana's return merged into ben's store.
    expect(() => new AnnotationPackages(ben).merge([anaFile])).toThrow(/belongs to study "pilot study" .*not in this store/);
    expect(owner.annotations.currentIn(runIds).length).toBe(before);
  });

  it('refuses a well-formed return that claims outputs, labels or times it should not', () => {
    const anaFile = join(folder('ana'), 'pilot-ana.alignann');
    const { manifest, body } = unpack(anaFile);
    const content = JSON.parse(body) as { exportId: string; exportedAt: string; annotations: { key: string; labels: string[] }[] };
    const benOnly = [...(JSON.parse(unpack(made.files[1]!.path).body) as { items: { key: string; overlap: boolean }[] }).items].find((i) => !i.overlap)!.key;
    // Re-encoded with valid hashes, as anyone holding the format could: the checks against the study still hold.
    const craft = (name: string, edit: (c: typeof content) => void) => {
      const c = structuredClone(content);
      c.exportId = randomUUID();
      c.exportedAt = new Date(Date.parse(content.exportedAt) + 60_000).toISOString();
      edit(c);
      const file = join(root, name);
      writeFileSync(file, encodePackageFile(String(manifest.format), { studyId: String(manifest.studyId), studyName: String(manifest.studyName), packageId: String(manifest.packageId), annotator: 'ana', created: c.exportedAt, counts: {} }, c).bytes);
      return file;
    };
    const service = new AnnotationPackages(owner);
    const before = owner.annotations.currentIn(runIds).length;
    expect(() => service.merge([craft('not-hers.alignann', (c) => (c.annotations[0]!.key = benOnly))])).toThrow(/annotations\[0\]: an output that was not in ana's package/);
    expect(() => service.merge([craft('label.alignann', (c) => (c.annotations[1]!.labels = ['made-up']))])).toThrow(/annotations\[1\] \(item .+\): label\(s\) made-up are not in the study's label set/);
    expect(() => service.merge([craft('twice.alignann', (c) => c.annotations.push(c.annotations[0]!))])).toThrow(/annotations\[33\]: a duplicate/);
    expect(() => service.merge([craft('older.alignann', (c) => (c.exportedAt = '2020-01-01T00:00:00.000Z'))])).toThrow(/older than ana's export of .*already merged/);
    expect(owner.annotations.currentIn(runIds).length).toBe(before);
  });

  it('refuses an outdated annotation (output re-generated since packaging), writing nothing', () => {
    const file = join(folder('ana'), 'later.alignann');
    const pkgItems = ana.annotationPackages.packageItems(anaPkg.packageId);
    ana.annotations.save(pkgItems[5]!.generationId, 'ana', { labels: ['truncated'] });
    new AnnotationPackages(ana).export(anaPkg.packageId, file);
    // The owner re-generates the output of one of ana's items: the row goes, a new output comes.
    const keyed = owner.reader.query({ runIds }, 0, 1000).rows.map((r) => owner.reader.get(r.id)!);
    const target = keyed.find((g) => sha256Hex(JSON.stringify([g.itemId, g.lang, g.instruction, g.outputRaw])) === pkgItems[7]!.key)!;
    owner.db.prepare('DELETE FROM generations WHERE id = ?').run(target.id);
    owner.generations.insert({ ...target, outputRaw: `${target.outputRaw} (again)`, output: target.output, generator: 'regenerated' });
    const merges = owner.annotationPackages.merges(made.studyId).length;
    const history = owner.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number };
    expect(() => new AnnotationPackages(owner).merge([file])).toThrow(new RegExp(`outputs that changed .*item ${target.itemId} \\(en\\)`));
    expect(owner.annotationPackages.merges(made.studyId).length).toBe(merges);
    expect(owner.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual(history);
  });
});

describe('annotation packages are untrusted input', () => {
  const root = mkdtempSync(join(tmpdir(), 'align-packages-bad-'));
  let owner: Store;
  let annotator: Store;
  let file = '';
  beforeAll(() => {
    owner = openStore(join(root, 'owner', 'workbench.sqlite'));
    annotator = openStore(join(root, 'annotator', 'workbench.sqlite'));
    const rows = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
    const runId = seedRun(owner, 'fixture', 'urial', rows);
    file = new AnnotationPackages(owner).create({ studyName: 's', selection: { runIds: [runId] }, annotators: ['ana'], overlapPercent: 0, seed: 3, blind: true, outDir: join(root, 'out') }).files[0]!.path;
  });
  afterAll(() => {
    owner?.close();
    annotator?.close();
    rmSync(root, { recursive: true, force: true });
  });
  const nothingWritten = () => {
    expect(annotator.runs.list()).toEqual([]);
    expect(annotator.annotationPackages.openedPackages()).toEqual([]);
  };
  const variant = (name: string, edit: (m: Record<string, unknown>, body: string) => [unknown, string]) => {
    const { manifest, body } = unpack(file);
    const out = join(root, name);
    const [m, b] = edit(manifest, body);
    repack(out, m, b);
    return out;
  };

  it('blind mode hides suggestions, model and method', () => {
    const content = JSON.parse(unpack(file).body) as { items: { findings?: unknown }[]; groups: unknown[] };
    expect(content.items.every((i) => i.findings === undefined)).toBe(true);
    expect(content.groups).toEqual([{ lang: 'en', method: null, model: null }]);
  });

  it('refuses a package with one output edited (manifest hash)', () => {
    const tampered = variant('tampered.alignpkg', (m, body) => [m, body.replace('The cat sat on the mat', 'The cat sat on a mat')]);
    expect(() => new AnnotationPackages(annotator).open(tampered)).toThrow(/tampered\.alignpkg: the content does not match the hash in its manifest/);
    nothingWritten();
  });

  it('refuses a package with one output edited even when the whole-content hash was recomputed', () => {
    const tampered = variant('rehashed.alignpkg', (m, body) => {
      const b = body.replace('The cat sat on the mat', 'The cat sat on a mat');
      return [{ ...m, contentSha256: sha256Hex(b) }, b];
    });
    expect(() => new AnnotationPackages(annotator).open(tampered)).toThrow(/items\[\d+\] \(item \d+\): the output does not match its sha256/);
    nothingWritten();
  });

  it('refuses oversize, gzip bombs, garbage, wrong formats and schema violations, naming the problem', () => {
    expect(() => new AnnotationPackages(annotator, { maxFileBytes: 500, maxContentBytes: 2 ** 20 }).open(file)).toThrow(/over the 0\.0 MiB limit/);
    expect(() => new AnnotationPackages(annotator, { maxFileBytes: 2 ** 20, maxContentBytes: 1000 }).open(file)).toThrow(/expands past the/);
    const garbage = join(root, 'garbage.alignpkg');
    writeFileSync(garbage, 'PK\u0003\u0004 not a package');
    expect(() => new AnnotationPackages(annotator).open(garbage)).toThrow(/garbage\.alignpkg: not an Align file/);
    const wrongFormat = variant('wrong.alignpkg', (m, b) => [{ ...m, format: 'align-annotations' }, b]);
    expect(() => new AnnotationPackages(annotator).open(wrongFormat)).toThrow(/"align-annotations" file, not a "align-annotation-package" file/);
    const newer = variant('newer.alignpkg', (m, b) => [{ ...m, version: 99 }, b]);
    expect(() => new AnnotationPackages(annotator).open(newer)).toThrow(/newer Align Workbench/);
    const badSchema = variant('schema.alignpkg', (m, body) => {
      const b = body.replace('"finishReason":"stop"', '"finishReason":"<img src=x>"');
      return [{ ...m, contentSha256: sha256Hex(b) }, b];
    });
    expect(() => new AnnotationPackages(annotator).open(badSchema)).toThrow(/content: items\[0\]\.finishReason: /);
    const badManifest = variant('manifest.alignpkg', (m, b) => [{ ...m, studyId: 'x' }, b]);
    expect(() => new AnnotationPackages(annotator).open(badManifest)).toThrow(/manifest: studyId: /);
    nothingWritten();
    // And the untouched package still opens.
    expect(new AnnotationPackages(annotator).open(file).progress).toEqual({ done: 0, total: 12 });
  });
});
