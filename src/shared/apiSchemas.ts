/**
 * Runtime schemas of every request in `api.ts`, checked at the transport boundary (IPC and HTTP) so that
 * nothing malformed reaches the backend. zod is the only import: shared code stays free of project layers.
 */
import { z } from 'zod';
import { RESULTS_GROUP_KEYS, type ApiMethod, type ApiRequest } from './api';
import { FINISH_REASONS, LOOP_STOP_SENSITIVITIES, METHODS, MODEL_ROLES } from './domain';
import { GENERATIONS_EXPORT_FORMATS } from './generations';
import { JUDGEMENTS_EXPORT_FORMATS } from './judgeRuns';
import { ALL_ASPECTS, JUDGE_LANGS, NA_POLICIES } from './judging';
import { DECODING_PRESET_NAMES } from './presets';
import { CRITICAL_SOURCES } from './generations';

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

/** "auto", "cpu", or a number of layers to offload to the GPU. */
const gpuOffload = z.union([z.enum(['auto', 'cpu']), z.number().int().nonnegative().max(10_000)]);

const backend = z
  .object({
    threads: z.number().int().positive().max(1024),
    gpu: gpuOffload,
    contextSize: z.union([z.number().int().positive(), z.literal('auto')]),
    parallel: z.number().int().positive().max(64),
  })
  .strict()
  .partial();

const plan = z
  .object({
    // At least one model or family, and methods for explicit models: checked when the plan is expanded
    // (a refinement here would keep runs.create from extending this schema).
    models: z.array(ref).max(50),
    families: z.array(ref).max(20).optional(),
    methods: z.array(z.enum(METHODS)),
    datasets: z.array(ref).min(1).max(50),
    promptLangs: z.array(lang).max(20).optional(),
    preset: z.enum(DECODING_PRESET_NAMES).optional(),
    promptFile: path.optional(),
    systemPrompt: z.string().max(20_000).optional(),
    chatTemplate: z.string().min(1).max(100).optional(),
    template: z.string().min(1).max(100_000).optional(),
    allowPromptLangMismatch: z.boolean().optional(),
    chatDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional(),
    allowSystemFold: z.boolean().optional(),
    subset: subset.optional(),
    sampler: sampler.optional(),
    backend: backend.optional(),
    name: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

// The selection shared by the reader's and the Results filters (SelectionFilter).
const selection = {
  runIds: z.array(id).max(1000).optional(),
  modelIds: z.array(id).max(1000).optional(),
  methods: z.array(z.string().max(50)).max(20).optional(),
  langs: z.array(lang).max(50).optional(),
  category: z.string().max(200).optional(),
  taskType: z.string().max(200).optional(),
  difficulty: z.string().max(200).optional(),
};

const filter = z
  .object({
    ...selection,
    finishReasons: z.array(z.enum(FINISH_REASONS)).max(10).optional(),
    score: z
      .object({
        aspect: z.enum(ALL_ASPECTS),
        min: z.number().min(1).max(5).optional(),
        max: z.number().min(1).max(5).optional(),
        na: z.boolean().optional(),
        judge: z.string().min(1).max(2000).optional(),
      })
      .strict()
      .optional(),
    search: z.string().max(1000).optional(),
    // `any`, `none` or a label name (lowercase words joined by dashes, like "code-leak").
    critical: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a label name, "any" or "none"').max(50).optional(),
    criticalSource: z.enum(CRITICAL_SOURCES).optional(),
  })
  .strict();

const resultsFilter = z
  .object({
    ...selection,
    judge: z.string().min(1).max(2000).optional(),
    rubricVersion: z.string().min(1).max(200).optional(),
    judgeLang: lang.optional(),
    naPolicy: z.enum(NA_POLICIES),
  })
  .strict();
const groupBy = z.array(z.enum(RESULTS_GROUP_KEYS)).max(RESULTS_GROUP_KEYS.length);
const rubricPrompt = z.object({ system: z.string().min(1).max(50_000), user: z.string().min(1).max(50_000) }).strict();
const judgeRunId = z.object({ judgeRunId: id }).strict();
const downloadId = z.object({ downloadId: id }).strict();

const annotator = z.string().trim().min(1).max(100);
const labelName = z.string().min(1).max(50);
const runIds = z.array(id).max(1000);

/** An OpenAI-compatible server (remote models and judges) and the environment variable holding its key. */
const baseUrl = z.url({ protocol: /^https?$/ }).max(2000);
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').max(200);

const exportFormat = z.enum(['jsonl', 'csv']);

/** hf:<owner>/<dataset>[/<file>] or an http(s) URL (parsed in full when the download starts). */
const datasetUri = z.string().regex(/^(hf:|https?:\/\/)/i, 'hf:<owner>/<dataset>[/<file>] or an http(s) URL').max(2000);

const importFields = { idField: field, instructionField: field, delimiter: z.string().min(1).max(4).optional() };

export const apiRequestSchemas = {
  'app.info': empty,
  'app.pickFile': z.object({ kind: z.enum(['model', 'dataset', 'package', 'annotations']) }).strict(),
  'models.list': empty,
  'models.add': z.object({ path, wait: z.boolean().optional() }).strict(),
  'models.resolve': z.object({ ref }).strict(),
  'models.addRemote': z
    .object({
      baseUrl,
      model: z.string().trim().min(1).max(500),
      apiKeyEnv: envVarName.optional(),
      endpoint: z.enum(['completions', 'chat']).optional(),
      name: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  'models.scan': z.object({ folder: path, wait: z.boolean().optional() }).strict(),
  'models.remove': z.object({ modelId: id }).strict(),
  'models.locate': z.object({ modelId: id, path }).strict(),
  'models.setFamily': z.object({ modelId: id, familyId: id.nullable(), role: z.enum(MODEL_ROLES).optional() }).strict(),
  'models.fit': z
    .object({
      modelId: id,
      contextSize: z.number().int().positive().max(1_000_000_000),
      parallel: z.number().int().positive().max(64).optional(),
      gpu: gpuOffload.optional(),
    })
    .strict(),
  'families.list': empty,
  'families.create': z.object({ name: z.string().trim().min(1).max(200) }).strict(),
  'families.remove': z.object({ familyId: id }).strict(),
  'hardware.info': empty,
  'models.state': empty,
  'datasets.list': empty,
  'datasets.preview': z.object({ path, ...importFields }).strict(),
  'datasets.import': z
    .object({ path, lang, name: z.string().min(1).max(200).optional(), parallelWith: ref.optional(), ...importFields })
    .strict(),
  'datasets.download': z
    .object({ uri: datasetUri, lang, name: z.string().min(1).max(200).optional(), parallelWith: ref.optional(), ...importFields })
    .strict(),
  'datasets.cancelDownload': z.object({ uri: datasetUri }).strict(),
  'datasets.link': z.object({ datasetIds: z.array(id).min(2).max(20) }).strict(),
  'datasets.readIdList': z.object({ source: path }).strict(),
  'datasets.ensureSamples': empty,
  'runs.list': empty,
  'runs.get': z.object({ runId: id }).strict(),
  'runs.plan': plan,
  'runs.create': plan.extend({ start: z.boolean().optional() }).strict(),
  'runs.start': z.object({ runId: id }).strict(),
  'runs.pause': z.object({ runId: id }).strict(),
  'runs.cancel': z.object({ runId: id }).strict(),
  'runs.retry': z.object({ runId: id }).strict(),
  'generations.import': z.object({ path, lang, name: z.string().trim().min(1).max(200).optional(), dataset: z.string().trim().min(1).max(200).optional() }).strict(),
  'generations.export': z.object({ runId: id, format: z.enum(GENERATIONS_EXPORT_FORMATS) }).strict(),
  'runs.delete': z.object({ runId: id, dryRun: z.boolean().optional(), confirm: z.literal('annotations').optional() }).strict(),
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
  'annotations.export': z.object({ runId: id, format: exportFormat }).strict(),
  'annotations.agreement': z.object({ runIds: runIds.optional(), annotators: z.array(annotator).max(50).optional() }).strict(),
  'annotations.rates': z.object({ runIds: runIds.optional(), source: z.enum(['human', 'detector']), annotator: annotator.optional() }).strict(),
  'annotationPackages.create': z
    .object({
      studyName: z.string().trim().min(1).max(100),
      selection: filter,
      annotators: z.array(annotator).min(1).max(100),
      overlapPercent: z.number().min(0).max(100),
      seed: z.number().int(),
      blind: z.boolean().optional(),
      guidelines: z.string().max(200_000).optional(),
      outDir: path,
    })
    .strict(),
  'annotationPackages.open': z.object({ path }).strict(),
  'annotationPackages.list': empty,
  'annotationPackages.export': z.object({ packageId: z.uuid(), out: path }).strict(),
  'annotationPackages.merge': z.object({ files: z.array(path).min(1).max(100) }).strict(),
  'annotationPackages.studies': empty,
  'annotationPackages.report': z.object({ studyId: z.uuid() }).strict(),
  'annotationPackages.resolveQueue': z.object({ studyId: z.uuid() }).strict(),
  'judges.list': empty,
  'judges.add': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('local'), model: ref, name: z.string().min(1).max(200).optional() }).strict(),
    z
      .object({
        kind: z.literal('openai'),
        baseUrl,
        model: z.string().min(1).max(500),
        name: z.string().min(1).max(200).optional(),
        apiKey: z.string().min(1).max(10_000).optional(),
        apiKeyEnv: envVarName.optional(),
        concurrency: z.number().int().positive().max(256).optional(),
        timeoutMs: z.number().int().positive().max(3_600_000).optional(),
        maxRetries: z.number().int().nonnegative().max(20).optional(),
      })
      .strict(),
  ]),
  'judges.test': z.object({ judgeId: id }).strict(),
  'rubrics.list': empty,
  'rubrics.save': z
    .object({ from: z.string().min(1).max(200), name: z.string().min(1).max(200).optional(), prompts: z.record(lang, rubricPrompt) })
    .strict(),
  'judgeRuns.list': empty,
  'judgeRuns.create': z
    .object({
      runIds: runIds.min(1),
      judgeId: id,
      repeats: z.number().int().positive().max(20).optional(),
      judgeLang: z.enum(JUDGE_LANGS).optional(),
      rubricVersion: z.string().min(1).max(200).optional(),
      safetyRubricVersion: z.string().min(1).max(200).optional(),
      temperature: z.number().min(0).max(2).optional(),
      seed: z.number().int().optional(),
      maxTokens: z.number().int().positive().max(32_768).optional(),
      name: z.string().min(1).max(200).optional(),
      start: z.boolean().optional(),
    })
    .strict(),
  'judgeRuns.get': judgeRunId,
  'judgeRuns.start': judgeRunId,
  'judgeRuns.pause': judgeRunId,
  'judgeRuns.cancel': judgeRunId,
  'judgements.forGeneration': z.object({ generationId: id }).strict(),
  'judgements.humanAgreement': z.object({ runIds: runIds.optional(), judge: z.string().min(1).max(2000).optional() }).strict(),
  'judgements.import': z.object({ path, runId: id.optional(), lang: lang.optional(), name: z.string().trim().min(1).max(200).optional() }).strict(),
  'judgements.export': z
    .object({ runId: id, format: z.enum(JUDGEMENTS_EXPORT_FORMATS), judge: z.string().min(1).max(2000).optional(), rubricVersion: z.string().min(1).max(200).optional() })
    .strict(),
  'results.aspects': z.object({ filter: resultsFilter, groupBy }).strict(),
  'results.criticalErrors': z.object({ filter: resultsFilter, source: z.enum(['human', 'detector']) }).strict(),
  'results.rates': z.object({ runIds: runIds.min(1), source: z.enum(['detector', 'human']) }).strict(),
  'results.compare': z
    .object({
      filter: resultsFilter,
      dimension: z.enum(['method', 'model']),
      a: z.string().min(1).max(500),
      b: z.string().min(1).max(500),
      within: groupBy,
    })
    .strict(),
  'results.table': z.object({ filter: resultsFilter, groupBy, format: z.enum(['csv', 'md', 'latex']) }).strict(),
  'results.dpoPairs': z.object({ filter: resultsFilter }).strict(),
  'detection.run': z.object({ runId: id, all: z.boolean().optional() }).strict(),
  'runs.reproducibility': z.object({ runId: id }).strict(),
  'runs.rerun': z.object({ runId: id, start: z.boolean().optional() }).strict(),
  'app.firstRun': empty,
  'app.dismissWelcome': empty,
  'settings.get': empty,
  'settings.set': z.object({ downloadDir: path.optional(), referenceDir: path.nullable().optional() }).strict(),
  'reference.status': z.object({ verify: z.boolean().optional() }).strict(),
  'reference.fetch': empty,
  'catalogue.list': empty,
  'downloads.list': empty,
  'downloads.start': z
    .object({
      uri: z
        .string()
        .min(4)
        .max(4096)
        .regex(/^(hf:|https?:\/\/)/, 'an hf:<user>/<repo>/<file.gguf> URI or an http(s) URL'),
      catalogueId: z.string().min(1).max(200).optional(),
      dir: path.optional(),
    })
    .strict(),
  'downloads.pause': downloadId,
  'downloads.resume': downloadId,
  'downloads.cancel': downloadId,
} satisfies Record<ApiMethod, z.ZodType>;

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiRequestSchemas, name);
}

// Compile-time proof that each schema accepts exactly what the contract types say (both directions).
type Matches<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaCheck = { [M in ApiMethod]: Matches<z.infer<(typeof apiRequestSchemas)[M]>, ApiRequest<M>> };
export const schemasMatchContract: { [M in ApiMethod]: true } = null as unknown as SchemaCheck;
