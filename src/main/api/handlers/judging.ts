import { Conflict, NotFoundError } from '../../services/errors';
import { judgeHumanAgreement } from '../../services/judging/judgeHumanAgreement';
import type { HandlerContext, HandlersFor } from './types';

/** Judges, rubrics, judge runs, judgements. */
export function judgingHandlers(ctx: HandlerContext): HandlersFor<'judgeRuns' | 'judgements' | 'judges' | 'rubrics'> {
  const { queue, judging, judgeFiles } = ctx.services;
  const { judgeRunInfo } = ctx.wire;
  const { services } = ctx;
  return {
    'judges.list': () => services.store.judges.list(),
    'judges.add': (req) => judging.addJudge(req),
    'judges.test': ({ judgeId }) => {
      // A local judge loads into the one model slot: testing it mid-run would pull the model from under the run.
      if (judging.judge(judgeId).kind === 'local' && queue.busy)
        throw new Conflict('A run is in progress and holds the model slot: test a local judge when the queue is idle (or pause the run).');
      return judging.testJudge(judgeId);
    },
    'rubrics.list': () => services.store.rubrics.list(),
    'rubrics.save': ({ from, name, prompts }) => judging.saveRubric(from, { name, prompts }),
    'judgeRuns.list': () => services.store.judgeRuns.list().map(judgeRunInfo),
    'judgeRuns.get': ({ judgeRunId }) => judgeRunInfo(judging.judgeRun(judgeRunId)),
    'judgeRuns.create': (req) => {
      const run = judging.createJudgeRun(req);
      if (req.start) queue.enqueueJudgeRun(run.id);
      else services.events.emit('judgeRuns.changed', { judgeRunId: run.id, status: run.status });
      return judgeRunInfo(judging.judgeRun(run.id));
    },
    'judgeRuns.start': ({ judgeRunId }) => (queue.enqueueJudgeRun(judging.judgeRun(judgeRunId).id), judgeRunInfo(judging.judgeRun(judgeRunId))),
    'judgeRuns.pause': ({ judgeRunId }) => (queue.stopJudgeRun(judging.judgeRun(judgeRunId).id, 'pause'), judgeRunInfo(judging.judgeRun(judgeRunId))),
    'judgeRuns.cancel': ({ judgeRunId }) => (queue.stopJudgeRun(judging.judgeRun(judgeRunId).id, 'cancel'), judgeRunInfo(judging.judgeRun(judgeRunId))),
    'judgements.forGeneration': ({ generationId }) => {
      if (!services.store.reader.get(generationId)) throw new NotFoundError(`No generation with id ${generationId}.`);
      return services.store.judgements.forGeneration(generationId);
    },
    'judgements.humanAgreement': (req) => judgeHumanAgreement(services.store, req),
    'judgements.import': async ({ path, runId, lang, name }) => {
      const imported = await judgeFiles.import(path, { runId, lang, name });
      if (imported.newRun) ctx.changed(imported.runId);
      return imported;
    },
    'judgements.export': ({ runId, format, judge, rubricVersion }) => ({ text: judgeFiles.export(runId, format, { judge, rubricVersion }) }),
  };
}
