import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetsService } from '../../../src/main/services/datasets/DatasetsService';
import { DetectionService } from '../../../src/main/services/detection/DetectionService';
import { GenerationsService } from '../../../src/main/services/generations/GenerationsService';
import { importedGeneration } from '../../../src/main/store/GenerationRepo';
import { addDataset, addModel, addRun, openTempStore, type TempStore } from '../../support/tempStore';

/** `generations export --format just-eval` of a run of ours: to_eval.json records named after the model and method. */
describe('generations export --format just-eval on our own runs', () => {
  let t: TempStore;
  beforeEach(() => (t = openTempStore()));
  afterEach(() => t.dispose());

  const service = () => new GenerationsService(t.store, new DetectionService(t.store), new DatasetsService(t.store.datasets));

  it('writes id, instruction, output, generator "<model> · <method>", then dataset, source_id and datasplit', () => {
    const model = addModel(t.store, '/models/stories260K.gguf');
    const dataset = addDataset(t.store, [
      { id: '7', instruction: 'Nommez une couleur primaire.', category: 'regular', dataset: 'alpaca_eval', sourceId: 'alpaca_eval-7', metadata: {} },
      { id: 'x-1', instruction: 'Dites bonjour.', category: 'regular', metadata: {} },
    ]);
    const run = addRun(t.store, model, dataset, { method: { method: 'urial', promptLang: 'en' } });
    t.store.generations.insertMany([importedGeneration(run.id, '7', { output: 'Le rouge.', generator: null }), importedGeneration(run.id, 'x-1', { output: 'Bonjour.', generator: null })]);
    const records = JSON.parse(service().export(run.id, 'just-eval')) as Record<string, unknown>[];
    expect(records).toEqual([
      { id: 7, instruction: 'Nommez une couleur primaire.', output: 'Le rouge.', generator: 'stories260K.gguf · URIAL (en prompt)', dataset: 'alpaca_eval', source_id: 'alpaca_eval-7', datasplit: 'just_eval' },
      { id: 'x-1', instruction: 'Dites bonjour.', output: 'Bonjour.', generator: 'stories260K.gguf · URIAL (en prompt)', datasplit: 'just_eval' },
    ]);
  });

  it('refuses an unknown run', () => {
    expect(() => service().export(99, 'just-eval')).toThrow('No run with id 99');
  });
});
