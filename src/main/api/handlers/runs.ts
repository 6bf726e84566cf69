import { DEFAULT_SAMPLER } from '../../../shared/defaults';
import type { RunPlan } from '../../../shared/runs';
import { planFitWarnings } from '../../services/models/modelFit';
import { planPromptWarnings } from '../../services/runs/promptWarnings';
import { reproducibilityRecord, rerun } from '../../services/runs/runReproducibility';
import type { HandlerContext, HandlersFor } from './types';

/** Generation runs: plan, create, start/pause/cancel/retry, reproducibility. */
export function runsHandlers(ctx: HandlerContext): HandlersFor<'runs'> {
  const { runs, queue } = ctx.services;
  const { runInfo } = ctx.wire;
  const { services, changed } = ctx;
  return {
    'runs.list': () => services.store.runs.list().map(runInfo),
    'runs.get': ({ runId }) => runInfo(runs.get(runId)),
    'runs.plan': async (req): Promise<RunPlan> => {
      const planned = await runs.planBatch(req);
      const maxTokens = req.sampler?.maxTokens ?? DEFAULT_SAMPLER.maxTokens;
      const totalItems = planned.reduce((n, x) => n + x.plan.items, 0);
      const models = [...new Map(planned.map((x) => [x.plan.model.id, x.plan.model])).values()];
      return {
        runs: planned.map(({ run, plan }) => ({ model: run.model, method: run.method, methodLabel: plan.methodLabel,
          dataset: run.dataset,
          promptLang: plan.promptLang,
          promptLangDetected: plan.promptLangDetected,
          items: plan.items,
        })),
        totalItems,
        estimatedSeconds: runs.estimateSeconds(totalItems, { maxTokens: req.sampler?.maxTokens }),
        warnings: [
          ...(await planFitWarnings(models, req.backend, maxTokens)),
          ...(await planPromptWarnings(planned, maxTokens)),
        ],
      };
    },
    'runs.create': async (req) => {
      const created = await runs.createBatch(req);
      if (req.start) for (const r of created) queue.enqueue(r.id);
      for (const r of created) changed(r.id);
      return created.map((r) => runInfo(runs.get(r.id)));
    },
    'runs.start': ({ runId }) => (queue.enqueue(runs.generating(runId, 'generate').id), runInfo(runs.get(runId))),
    'runs.retry': ({ runId }) => (queue.enqueue(runs.generating(runId, 'retry').id), runInfo(runs.get(runId))),
    'runs.pause': ({ runId }) => (queue.stop(runs.get(runId).id, 'pause'), runInfo(runs.get(runId))),
    'runs.cancel': ({ runId }) => (queue.stop(runs.get(runId).id, 'cancel'), runInfo(runs.get(runId))),
    'runs.delete': (req) => {
      const before = runs.get(req.runId).status;
      // A run waiting in the queue leaves it first, so the queue never starts a run that is gone (a running one is refused).
      if (!req.dryRun && before === 'pending' && queue.isQueued(req.runId)) queue.stop(req.runId, 'cancel');
      const deleted = runs.remove(req);
      if (deleted.deleted) services.events.emit('runs.changed', { runId: req.runId, status: before });
      return deleted;
    },
    'runs.reproducibility': ({ runId }) => reproducibilityRecord(services.store, runs, runId),
    'runs.rerun': async ({ runId, start }) => {
      const run = await rerun(services.store, runs, runId);
      if (start) queue.enqueue(run.id);
      changed(run.id);
      return runInfo(runs.get(run.id));
    },
  };
}
