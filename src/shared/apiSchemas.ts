/**
 * Runtime schemas of every request in `api.ts`, checked at the transport boundary (IPC and HTTP) so that
 * nothing malformed reaches the backend. zod is the only import: shared code stays free of project layers.
 */
import { z } from 'zod';
import type { ApiMethod, ApiRequest } from './api';
import { FINISH_REASONS, LOOP_STOP_SENSITIVITIES, METHODS } from './domain';

const empty = z.object({}).strict();
const id = z.number().int().nonnegative();
const lang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'an ISO 639 code such as en, fr, es');
const path = z.string().min(1).max(4096);
const ref = z.string().min(1).max(4096);
const field = z.string().min(1).max(200).optional();

const subset = z
  .object({
    category: z.string().max(200).optional(),
    taskType: z.string().max(200).optional(),
    ids: z.array(z.string().max(200)).max(100_000).optional(),
    sample: z.object({ size: z.number().int().positive(), seed: z.number().int() }).strict().optional(),
    limit: z.number().int().positive().optional(),
  })
  .strict();

const sampler = z
  .object({
    maxTokens: z.number().int().positive().max(131_072),
    temperature: z.number().min(0).max(10),
    topP: z.number().min(0).max(1),
    topK: z.number().int().min(0),
    minP: z.number().min(0).max(1),
    seed: z.number().int(),
    repeatPenalty: z.number().min(0).max(10),
    repeatPenaltyWindow: z.union([z.number().int().nonnegative(), z.literal('all')]),
    loopStop: z.object({ enabled: z.boolean(), sensitivity: z.enum(LOOP_STOP_SENSITIVITIES) }).strict(),
  })
  .strict()
  .partial();

const backend = z
  .object({
    threads: z.number().int().positive().max(1024),
    gpu: z.enum(['auto', 'cpu']),
    contextSize: z.union([z.number().int().positive(), z.literal('auto')]),
    parallel: z.number().int().positive().max(64),
  })
  .strict()
  .partial();

const plan = z
  .object({
    models: z.array(ref).min(1).max(50),
    methods: z.array(z.enum(METHODS)).min(1),
    datasets: z.array(ref).min(1).max(50),
    promptLangs: z.array(lang).max(20).optional(),
    promptFile: path.optional(),
    systemPrompt: z.string().max(20_000).optional(),
    chatTemplate: z.string().min(1).max(100).optional(),
    template: z.string().min(1).max(100_000).optional(),
    subset: subset.optional(),
    sampler: sampler.optional(),
    backend: backend.optional(),
  })
  .strict();

const filter = z
  .object({
    runIds: z.array(id).max(1000).optional(),
    modelIds: z.array(id).max(1000).optional(),
    methods: z.array(z.string().max(50)).max(20).optional(),
    langs: z.array(lang).max(50).optional(),
    category: z.string().max(200).optional(),
    taskType: z.string().max(200).optional(),
    finishReasons: z.array(z.enum(FINISH_REASONS)).max(10).optional(),
    search: z.string().max(1000).optional(),
  })
  .strict();

const annotator = z.string().trim().min(1).max(100);
const labelName = z.string().min(1).max(50);
const runIds = z.array(id).max(1000);

const importFields = { idField: field, instructionField: field, delimiter: z.string().min(1).max(4).optional() };

export const apiRequestSchemas = {
  'app.info': empty,
  'app.pickFile': z.object({ kind: z.enum(['model', 'dataset']) }).strict(),
  'models.list': empty,
  'models.add': z.object({ path }).strict(),
  'models.state': empty,
  'datasets.list': empty,
  'datasets.preview': z.object({ path, ...importFields }).strict(),
  'datasets.import': z
    .object({ path, lang, name: z.string().min(1).max(200).optional(), parallelWith: ref.optional(), ...importFields })
    .strict(),
  'datasets.link': z.object({ datasetIds: z.array(id).min(2).max(20) }).strict(),
  'runs.list': empty,
  'runs.get': z.object({ runId: id }).strict(),
  'runs.plan': plan,
  'runs.create': plan.extend({ start: z.boolean().optional() }).strict(),
  'runs.start': z.object({ runId: id }).strict(),
  'runs.pause': z.object({ runId: id }).strict(),
  'runs.cancel': z.object({ runId: id }).strict(),
  'runs.retry': z.object({ runId: id }).strict(),
  'generations.query': z
    .object({ filter, offset: z.number().int().nonnegative(), limit: z.number().int().positive().max(1000) })
    .strict(),
  'generations.get': z.object({ id }).strict(),
  'generations.sideBySide': z.object({ id, runIds: z.array(id).max(100).optional() }).strict(),
  'labels.list': empty,
  'labels.add': z.object({ name: labelName, definition: z.string().min(1).max(500) }).strict(),
  'annotations.queue': z
    .object({
      runIds: runIds.optional(),
      annotator,
      order: z.enum(['flagged-first', 'random', 'stratified']),
      seed: z.number().int().optional(),
      limit: z.number().int().positive().max(100_000),
    })
    .strict(),
  'annotations.get': z.object({ generationId: id, annotator }).strict(),
  'annotations.save': z
    .object({
      generationId: id,
      annotator,
      labels: z.array(labelName).max(50),
      note: z.string().max(20_000).nullable().optional(),
      decisions: z.record(labelName, z.enum(['accepted', 'rejected'])).optional(),
    })
    .strict(),
  'annotations.undo': z.object({ annotator }).strict(),
  'annotations.assign': z
    .object({ runIds: runIds.min(1), annotators: z.array(annotator).min(1).max(50), overlap: z.number().min(0).max(1), seed: z.number().int() })
    .strict(),
  'annotations.agreement': z.object({ runIds: runIds.optional(), annotators: z.array(annotator).max(50).optional() }).strict(),
  'annotations.rates': z.object({ runIds: runIds.optional(), source: z.enum(['human', 'detector']), annotator: annotator.optional() }).strict(),
} satisfies Record<ApiMethod, z.ZodType>;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiRequestSchemas, name);
}

// Compile-time proof that each schema accepts exactly what the contract types say (both directions).
type Matches<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaCheck = { [M in ApiMethod]: Matches<z.infer<(typeof apiRequestSchemas)[M]>, ApiRequest<M>> };
export const schemasMatchContract: { [M in ApiMethod]: true } = null as unknown as SchemaCheck;
