import { Option, type Command } from 'commander';
import { JUDGE_LANGS, type JudgeLangChoice } from '../../../shared/judging';
import { call, on, onInterrupt, printId, UsageError } from '../context';
import { isFinal, watchEnds } from '../follow';
import { int, list, num, runIdOf } from '../options';
import { createJudgeProgressReporter } from '../progress';
import { exitCodeOf } from './runs';
import { modelRef } from './models';

export function registerJudging(program: Command): void {
  const judges = program.command('judges').description('LLM judges: local GGUF models or OpenAI-compatible servers');
  judges
    .command('add')
    .description('add a judge: --gguf <file> (a local model, added to the library if new) or --openai <base-url> --model <name>; prints the judge id last')
    .option('--gguf <file|model-id>', 'a local GGUF model (path or library id)')
    .option('--openai <base-url>', 'an OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, Ollama), e.g. http://127.0.0.1:8000/v1')
    .option('--model <name>', 'with --openai: the model name the server serves')
    .option('--api-key-env <VAR>', 'with --openai: the environment variable holding the API key (read at each call, never stored)')
    .option('--name <name>', 'judge name (default: the model name)')
    .option('--concurrency <n>', 'with --openai: requests in flight at once (default: 4)', int('--concurrency'))
    .option('--timeout <ms>', 'with --openai: per-request timeout in milliseconds (default: 120000)', int('--timeout'))
    .option('--max-retries <n>', 'with --openai: retries on 429/5xx/timeouts (default: 4)', int('--max-retries'))
    .action(async (o: { gguf?: string; openai?: string; model?: string; apiKeyEnv?: string; name?: string; concurrency?: number; timeout?: number; maxRetries?: number }) => {
      if (Boolean(o.gguf) === Boolean(o.openai)) throw new UsageError('Give exactly one of --gguf <file> or --openai <base-url> --model <name>.');
      if (o.openai && !o.model) throw new UsageError('--openai needs --model <name>: the model the server serves.');
      if (o.gguf && (o.model || o.apiKeyEnv)) throw new UsageError('--model and --api-key-env go with --openai, not --gguf.');
      const judge = o.gguf
        ? await call('judges.add', { kind: 'local', model: modelRef(o.gguf), name: o.name })
        : await call('judges.add', {
            kind: 'openai', baseUrl: o.openai!, model: o.model!, name: o.name, apiKeyEnv: o.apiKeyEnv,
            concurrency: o.concurrency, timeoutMs: o.timeout, maxRetries: o.maxRetries,
          });
      console.log(`${judge.name} · ${judge.kind} · ${judge.identity}`);
      printId(judge.id);
    });
  judges.command('list').description('list the judges').action(async () => {
    for (const j of await call('judges.list', {}))
      console.log(`${j.id}\t${j.kind}\t${j.name}\t${j.identity}\tkey: ${j.apiKey.source === 'env' ? `$${j.apiKey.variable}` : j.apiKey.source}`);
  });

  program
    .command('judge')
    .description('judge the generations of runs (Just-Eval aspects; safety items on the safety rubric), cached per generation × judge × rubric version × judge language × repeat; prints the judge run id last (Ctrl-C pauses)')
    .requiredOption('--run <id,id…>', 'generation run ids', list)
    .requiredOption('--judge <id>', 'judge id (see "judges list")', int('--judge'))
    .option('--repeats <k>', 'judge each generation k times (seeds s, s+1, …) to measure judge variance (default: 1)', int('--repeats'))
    .addOption(new Option('--judge-lang <lang>', 'judge prompt in English or in the generation\'s language (default: en)').choices(JUDGE_LANGS))
    .option('--rubric <version>', 'aspects rubric version (default: the built-in one); "just-eval-original": the original Just-Eval judge (its multi template, and its safety template for safety items; temperature 0, 1024 tokens), read from the official files')
    .option('--safety-rubric <version>', 'safety rubric version for category "safety" items (default: the built-in one)')
    .option('--temperature <t>', 'judge sampling temperature (default: 0)', num('--temperature'))
    .option('--seed <n>', 'judge seed; repeat r uses seed + r (default: 42)', int('--seed'))
    .option('--max-tokens <n>', 'maximum tokens of a judge reply (default: 1024)', int('--max-tokens'))
    .option('--name <name>', 'judge run name')
    .action(async (o: { run: string[]; judge: number; repeats?: number; judgeLang?: JudgeLangChoice; rubric?: string; safetyRubric?: string; temperature?: number; seed?: number; maxTokens?: number; name?: string }) => {
      if (o.repeats !== undefined && o.repeats < 1) throw new UsageError('--repeats must be at least 1.');
      const created = await call('judgeRuns.create', {
        runIds: o.run.map(runIdOf), judgeId: o.judge, repeats: o.repeats, judgeLang: o.judgeLang, rubricVersion: o.rubric,
        safetyRubricVersion: o.safetyRubric, temperature: o.temperature, seed: o.seed, maxTokens: o.maxTokens, name: o.name,
      });
      // The service hands back the unfinished run of these exact settings when there is one (see createJudgeRun).
      if (created.status === 'interrupted') console.error(`judge run ${created.id} was interrupted (its process stopped): resuming it`);
      console.error(`judge run ${created.id} "${created.name}": ${created.total} judge calls planned`);
      const ends = watchEnds('judgeRuns.changed', (e) => e.judgeRunId, (e) => isFinal(e.status));
      const report = createJudgeProgressReporter(created.total);
      const stopProgress = on('judgeRun.progress', (p) => p.judgeRunId === created.id && report(p));
      let loaded = false;
      const stopModel = on('model.state', (m) => {
        if (m.status === 'loaded' && !loaded) console.error('judge model loaded');
        loaded ||= m.status === 'loaded';
      });
      const stopListening = onInterrupt(() => void call('judgeRuns.pause', { judgeRunId: created.id }));
      await call('judgeRuns.start', { judgeRunId: created.id });
      const { status } = await ends.end(created.id);
      for (const stop of [stopListening, stopProgress, stopModel, ends.stop]) stop();
      const info = await call('judgeRuns.get', { judgeRunId: created.id });
      console.log(`judge run ${info.id} ${status}: ${info.done}/${info.total} calls · N/A ${info.na}${info.error ? `\nerror: ${info.error}` : ''}`);
      if (status === 'paused') console.log('continue with the same command: calls already made are cached and not repeated');
      else if (info.unanswered > 0) console.log(`${info.unanswered} of the N/A got no reply (see the errors with "generations export"): the same command makes those calls again`);
      printId(info.id);
      process.exitCode = exitCodeOf(status);
    });
}
