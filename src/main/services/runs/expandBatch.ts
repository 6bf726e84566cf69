import type { BackendConfig, MethodName, SamplerConfig, Subset } from '../../../shared/domain';
import type { DecodingPresetName } from '../../../shared/presets';
import type { MethodSettings, RunPlanRequest } from '../../../shared/runs';
import { InputError } from '../errors';

/** One run: a model × method × dataset (× URIAL prompt language) with its settings. */
export interface CreateRunRequest extends MethodSettings {
  model: string;
  method: MethodName;
  dataset: string;
  promptLang?: string;
  preset?: DecodingPresetName;
  subset?: Subset;
  sampler?: Partial<SamplerConfig>;
  backend?: Partial<BackendConfig>;
  name?: string;
}

/**
 * The runs of a batch: models × methods, plus every role of each family × the methods that fit the role, each
 * × datasets (× URIAL prompt languages). A model planned twice with one method (as a model and as a family
 * member) is one run. Method settings go only to the method they belong to, so a chat system prompt never
 * lands in a zero-shot run's recorded config.
 */
export function expandBatch(req: RunPlanRequest, familyPlan: (family: string) => { model: string; methods: readonly MethodName[] }[]): CreateRunRequest[] {
  if (req.models.length === 0 && !req.families?.length) throw new InputError('Choose at least one model or family.');
  if (req.models.length > 0 && req.methods.length === 0) throw new InputError('Choose at least one method for the models.');
  const pairs = [...req.models.map((model) => ({ model, methods: req.methods })), ...(req.families ?? []).flatMap(familyPlan)];
  const modelMethods = new Map<string, { model: string; method: MethodName }>();
  for (const { model, methods } of pairs) for (const method of methods) modelMethods.set(`${model}\u0000${method}`, { model, method });
  return [...modelMethods.values()].flatMap(({ model, method }) =>
    req.datasets.flatMap((dataset) =>
      (method === 'urial' && req.promptLangs?.length ? req.promptLangs : [undefined]).map((promptLang) => ({
        model,
        method,
        dataset,
        promptLang,
        promptFile: method === 'urial' ? req.promptFile : undefined,
        systemPrompt: method === 'chat' ? req.systemPrompt : undefined,
        chatTemplate: method === 'chat' ? req.chatTemplate : undefined,
        chatDate: method === 'chat' ? req.chatDate : undefined,
        allowSystemFold: method === 'chat' ? req.allowSystemFold : undefined,
        allowPromptLangMismatch: method === 'urial' ? req.allowPromptLangMismatch : undefined,
        template: method === 'custom' ? req.template : undefined,
        subset: req.subset,
        preset: req.preset,
        sampler: req.sampler,
        backend: req.backend,
        name: req.name,
      })),
    ),
  );
}
