import type { JudgeRunStorePort } from '../../core/judge';
import type { Store } from '../../store/openStore';

/** Adapts the SQLite store to what a judge run needs; `identityOf` names the judge behind a judge id. */
export function judgeRunStorePort(store: Pick<Store, 'judgeRuns' | 'rubrics' | 'judgements'>, identityOf: (judgeId: number) => string): JudgeRunStorePort {
  return {
    getJudgeRun: (id) => {
      const run = store.judgeRuns.get(id);
      return run && { id: run.id, config: run.config, judgeIdentity: identityOf(run.judgeId) };
    },
    rubric: (version) => store.rubrics.get(version),
    targets: (runIds) => store.judgements.targets(runIds),
    existingCalls: (judge, runIds) => store.judgements.callsOf(judge, runIds),
    saveCall: (call, scores) => void store.judgements.saveCall(call, scores),
    setTotal: (id, total) => store.judgeRuns.setTotal(id, total),
    setStatus: (id, status, error) => store.judgeRuns.setStatus(id, status, error ?? null),
    recordEnvironment: (id, environment) => store.judgeRuns.mergeEnvironment(id, environment),
  };
}
