import { readFileSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { z } from 'zod';
import { sha256Hex } from './contentKey';
import { FORMAT_VERSION, manifestSchema, type Manifest } from './packageSchemas';
import { InputError } from '../../../shared/errors';

/**
 * The on-disk layout of packages and returned annotation files: gzip over two JSON texts separated by one
 * newline, the manifest first, then the content; `manifest.contentSha256` is the sha256 of the content's exact
 * bytes. Why this and not zip or SQLite: one file, no dependency (node:zlib), readable with `gunzip -c f | jq .`,
 * the hash is over bytes (no canonical-JSON question), and an untrusted SQLite file would be a far larger surface
 * to open than a JSON text checked by a schema.
 */

export interface FileLimits {
  /** Largest file accepted, compressed. */
  maxFileBytes: number;
  /** Largest content accepted once decompressed: stops a gzip bomb before it fills memory. */
  maxContentBytes: number;
}

export const DEFAULT_LIMITS: FileLimits = { maxFileBytes: 64 * 2 ** 20, maxContentBytes: 512 * 2 ** 20 };

/** A file refused: the message names the file and what is wrong with it. */
export class PackageFileError extends InputError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'PackageFileError';
  }
}

const MiB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const oversize = (bytes: number, limits: FileLimits) => `the file is ${MiB(bytes)}, over the ${MiB(limits.maxFileBytes)} limit; split the study into smaller packages.`;

export function encodePackageFile(format: string, manifest: Omit<Manifest, 'format' | 'version' | 'contentSha256'>, content: unknown): { bytes: Buffer; contentSha256: string } {
  const body = JSON.stringify(content);
  const head: Manifest = { format, version: FORMAT_VERSION, ...manifest, contentSha256: sha256Hex(body) };
  return { bytes: gzipSync(`${JSON.stringify(head)}\n${body}`), contentSha256: head.contentSha256 };
}

/**
 * Reads and checks a file: size, gzip, manifest (schema, format, version), content hash, content schema. Throws
 * PackageFileError naming the first problem; returns nothing partial.
 */
export function decodePackageFile<S extends z.ZodType>(
  bytes: Buffer,
  file: string,
  format: string,
  contentSchema: S,
  limits: FileLimits = DEFAULT_LIMITS,
): { manifest: Manifest; content: z.infer<S>; fileSha256: string } {
  const fail = (problem: string): never => {
    throw new PackageFileError(file, problem);
  };
  if (bytes.length > limits.maxFileBytes) fail(oversize(bytes.length, limits));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(gunzipSync(bytes, { maxOutputLength: limits.maxContentBytes }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return fail(`the content expands past the ${MiB(limits.maxContentBytes)} limit; refused.`);
    return fail(`not an Align file (it does not decompress as gzip'd UTF-8 text: ${(e as Error).message}).`);
  }
  const cut = text.indexOf('\n');
  if (cut < 0) fail('no manifest line: the file is cut short or not an Align file.');
  let head: unknown;
  try {
    head = JSON.parse(text.slice(0, cut));
  } catch {
    return fail('line 1 (the manifest) is not JSON.');
  }
  const manifest = manifestSchema.safeParse(head);
  if (!manifest.success) return fail(`manifest: ${describeIssues(manifest.error)}`);
  const m = manifest.data;
  if (m.format !== format) fail(`this is a "${m.format}" file, not a "${format}" file.`);
  if (m.version > FORMAT_VERSION) fail(`written by a newer Align Workbench (format version ${m.version}; this one reads up to ${FORMAT_VERSION}). Update the app.`);
  const body = text.slice(cut + 1);
  if (sha256Hex(body) !== m.contentSha256)
    fail('the content does not match the hash in its manifest: the file was changed after it was written, or damaged in transit. Ask for a fresh copy.');
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return fail('the content (line 2) is not JSON.');
  }
  const content = contentSchema.safeParse(raw);
  if (!content.success) return fail(`content: ${describeIssues(content.error)}`);
  return { manifest: m, content: content.data as z.infer<S>, fileSha256: sha256Hex(bytes) };
}

/** The first few schema problems, each with its path ("items[3].outputRaw: …"). */
function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}.`;
}

/** decodePackageFile on a path, refusing an oversize file before reading it into memory. */
export function readPackageFile<S extends z.ZodType>(path: string, format: string, contentSchema: S, limits: FileLimits = DEFAULT_LIMITS) {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new PackageFileError(path, `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  if (size > limits.maxFileBytes) throw new PackageFileError(path, oversize(size, limits));
  return decodePackageFile(readFileSync(path), path, format, contentSchema, limits);
}
