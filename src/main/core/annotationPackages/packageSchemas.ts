import { z } from 'zod';
import { FINISH_REASONS } from '../../../shared/domain';
import { CRITICAL_LABELS } from '../../../shared/detection';

/**
 * What a package (.alignpkg) and a returned annotation file (.alignann) hold. Both come from another machine, so
 * every field has a type and a bound: a file outside them is refused before anything is written.
 */

const MAX_TEXT = 2_000_000;
const name = z.string().trim().min(1).max(100);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 hex digits)');
const iso = z.iso.datetime({ offset: true });
const labelName = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a label name like "code-leak"').max(50);

export const FORMATS = { package: 'align-annotation-package', annotations: 'align-annotations' } as const;
/** The file layout version this code writes and the highest it reads. */
export const FORMAT_VERSION = 1;

export const manifestSchema = z
  .object({
    format: z.string().max(100),
    version: z.number().int().positive(),
    studyId: z.uuid(),
    studyName: name,
    packageId: z.uuid(),
    annotator: name,
    created: iso,
    counts: z.record(z.string().max(50), z.number().int().nonnegative()),
    contentSha256: sha256,
  })
  .strict();
export type Manifest = z.infer<typeof manifestSchema>;

const findingSchema = z
  .object({
    label: z.enum(CRITICAL_LABELS),
    detector: z.string().max(100),
    version: z.string().max(100),
    score: z.number().min(0).max(1),
    evidence: z.object({ spans: z.array(z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).strict()).max(1000), note: z.string().max(2000) }).strict(),
  })
  .strict();

export const packageItemSchema = z
  .object({
    key: sha256,
    /** Index into `groups`: the source run (model × method × language), without the study's row ids. */
    group: z.number().int().nonnegative(),
    itemId: z.string().min(1).max(200),
    instruction: z.string().max(MAX_TEXT),
    outputRaw: z.string().max(MAX_TEXT),
    outputSha256: sha256,
    finishReason: z.enum(FINISH_REASONS),
    taskTypes: z.array(z.string().max(100)).max(50).nullable(),
    category: z.string().max(100).nullable(),
    /** Whether other annotators have this item too (agreement set). */
    overlap: z.boolean(),
    /** Detector suggestions; absent in blind mode. */
    findings: z.array(findingSchema).max(100).optional(),
  })
  .strict();
export type PackageItem = z.infer<typeof packageItemSchema>;

export const packageContentSchema = z
  .object({
    studyId: z.uuid(),
    studyName: name,
    packageId: z.uuid(),
    annotator: name,
    blind: z.boolean(),
    guidelines: z.string().max(200_000),
    labels: z.array(z.object({ name: labelName, definition: z.string().min(1).max(500) }).strict()).min(1).max(100),
    assignment: z.object({ annotators: z.array(name).min(1).max(100), overlap: z.number().min(0).max(1), seed: z.number().int(), overlapItems: z.number().int().nonnegative(), studyItems: z.number().int().nonnegative() }).strict(),
    /** Model and method are null in blind mode. */
    groups: z.array(z.object({ lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'expected a language code such as en, fr, es'), method: z.string().max(100).nullable(), model: z.string().max(300).nullable() }).strict()).min(1).max(10_000),
    items: z.array(packageItemSchema).max(200_000),
  })
  .strict();
export type PackageContent = z.infer<typeof packageContentSchema>;

export const returnedAnnotationSchema = z
  .object({
    key: sha256,
    outputSha256: sha256,
    labels: z.array(labelName).max(100),
    note: z.string().max(20_000).nullable(),
    decisions: z.record(labelName, z.enum(['accepted', 'rejected'])),
    /** When the annotator first saved this item, and when they saved its current state. */
    firstSavedAt: iso,
    savedAt: iso,
  })
  .strict();
export type ReturnedAnnotation = z.infer<typeof returnedAnnotationSchema>;

export const annotationsContentSchema = z
  .object({
    studyId: z.uuid(),
    packageId: z.uuid(),
    /** The content hash of the package annotated, so a return always names exactly what was handed out. */
    packageSha256: sha256,
    annotator: name,
    exportId: z.uuid(),
    exportedAt: iso,
    openedAt: iso,
    activeSeconds: z.number().nonnegative(),
    items: z.number().int().nonnegative(),
    annotations: z.array(returnedAnnotationSchema).max(200_000),
  })
  .strict();
export type AnnotationsContent = z.infer<typeof annotationsContentSchema>;
