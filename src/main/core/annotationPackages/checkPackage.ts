import type { DetectorResult, Finding } from '../../../shared/detection';
import { contentKey, sha256Hex } from './contentKey';
import { PackageFileError } from './packageFile';
import type { Manifest, PackageContent } from './packageSchemas';

/**
 * What the schema cannot say about a package: the manifest and content agree, every output still has the hash
 * it was packaged with, keys are what they claim, groups exist, evidence spans lie inside their output, and no
 * item is there twice. Throws PackageFileError naming the first problem (with the item's index).
 */
export function checkPackage(file: string, manifest: Manifest, content: PackageContent): void {
  const fail = (problem: string): never => {
    throw new PackageFileError(file, problem);
  };
  if (manifest.studyId !== content.studyId || manifest.packageId !== content.packageId || manifest.annotator !== content.annotator)
    fail('the manifest and the content name different studies, packages or annotators: the file was altered.');
  if (manifest.counts.items !== content.items.length) fail(`the manifest counts ${manifest.counts.items} items but the content holds ${content.items.length}.`);
  const keys = new Set<string>();
  const ids = new Set<string>();
  content.items.forEach((item, n) => {
    const where = `items[${n}] (item ${item.itemId})`;
    const group = content.groups[item.group];
    if (!group) return fail(`${where}: group ${item.group} does not exist.`);
    if (sha256Hex(item.outputRaw) !== item.outputSha256) fail(`${where}: the output does not match its sha256: it was edited after packaging.`);
    if (contentKey({ ...item, lang: group.lang }) !== item.key) fail(`${where}: the content key does not match the item: it was edited after packaging.`);
    if (keys.has(item.key)) fail(`${where}: the same output is in the package twice.`);
    keys.add(item.key);
    const id = `${item.group}\n${item.itemId}`;
    if (ids.has(id)) fail(`${where}: this item id is twice in group ${item.group}.`);
    ids.add(id);
    for (const f of item.findings ?? [])
      if (f.evidence.spans.some((s) => s.start > s.end || s.end > item.outputRaw.length)) fail(`${where}: a ${f.label} suggestion points outside the output.`);
  });
}

/** Findings as the detection store keeps them: one result per detector version. */
export function detectorResults(findings: readonly Finding[]): { result: DetectorResult; settings: Record<string, number> }[] {
  const byDetector = new Map<string, Finding[]>();
  for (const f of findings) byDetector.set(`${f.detector}\n${f.version}`, [...(byDetector.get(`${f.detector}\n${f.version}`) ?? []), f]);
  return [...byDetector.values()].map((fs) => ({ result: { detector: fs[0]!.detector, version: fs[0]!.version, signals: { source: 'package' }, findings: fs }, settings: {} }));
}
