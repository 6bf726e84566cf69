import { Option, type Command } from 'commander';
import { MODEL_ROLES, type ModelRole } from '../../../shared/domain';
import { formatBytes } from '../../../shared/formatBytes';
import type { DownloadInfo } from '../../../shared/models';
import { call, EXIT, on, onInterrupt, printId, UsageError, userPath } from '../context';
import { watchEnds } from '../follow';
import { formatParams } from '../options';
import { createDownloadProgressReporter } from '../progress';

export function registerModels(program: Command): void {
  const models = program.command('models').description('the model library');
  models
    .command('add [file]')
    .description(
      'check a GGUF file (header, metadata, completeness) and add it, or add a model served by an OpenAI-compatible server ' +
        '(--openai <base-url> --model <name>, checked against its model list); prints the model id last',
    )
    .option('--openai <base-url>', 'an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, OpenAI), e.g. http://127.0.0.1:8000/v1')
    .option('--model <name>', 'with --openai: the model name the server serves')
    .option('--api-key-env <VAR>', 'with --openai: the environment variable holding the API key (read when the model runs, never stored)')
    .addOption(new Option('--endpoint <kind>', 'with --openai: completions (base models: zero-shot, URIAL) or chat (chat models)').choices(['completions', 'chat']).default('chat'))
    .option('--name <name>', 'with --openai: the name shown in the library (default: the model name)')
    .action(async (file: string | undefined, o: { openai?: string; model?: string; apiKeyEnv?: string; endpoint: 'completions' | 'chat'; name?: string }) => {
      if (Boolean(file) === Boolean(o.openai)) throw new UsageError('Give a GGUF file, or --openai <base-url> --model <name>.');
      if (o.openai) {
        if (!o.model) throw new UsageError('--openai needs --model <name>: the model the server serves.');
        const r = await call('models.addRemote', { baseUrl: o.openai, model: o.model, apiKeyEnv: o.apiKeyEnv, endpoint: o.endpoint, name: o.name });
        console.log(`${r.name} · remote (${o.endpoint}) · ${r.path} · key: ${o.apiKeyEnv ? `$${o.apiKeyEnv}` : 'none'}`);
        printId(r.id);
        return;
      }
      if (o.model || o.apiKeyEnv || o.name) throw new UsageError('--model, --api-key-env and --name go with --openai, not with a GGUF file.');
      const m = await call('models.add', { path: userPath(file!), wait: true });
      console.log(`${m.name} · ${m.architecture ?? '?'} · ${formatParams(m.parameterCount)} · ${m.quantization ?? '?'} · ctx ${m.trainContextSize ?? '?'}`);
      console.log(`chat template: ${m.chatTemplate ? 'yes' : 'none'} · runnable: ${m.runnable ? 'yes' : 'no (vocab only)'} · sha256 ${m.sha256}`);
      printId(m.id);
    });
  models
    .command('list')
    .description('list the models')
    .action(async () => {
      for (const m of await call('models.list', {}))
        console.log(`${m.id}\t${m.name}\t${m.architecture ?? '?'}\t${formatParams(m.parameterCount)}\t${m.quantization ?? '?'}\t${m.path}`);
    });
  models
    .command('scan <folder>')
    .description('add every *.gguf file under a folder (recursive); prints one line per file, then the count added')
    .action(async (folder: string) => {
      const result = await call('models.scan', { folder: userPath(folder), wait: true });
      for (const m of result.added) console.log(`added\t${m.id}\t${m.path}`);
      for (const f of result.failed) console.log(`failed\t${f.message}`);
      if (result.truncated) console.log('note: the scan stopped at its file limit; scan sub-folders separately.');
      console.log(`${result.added.length} of ${result.found} GGUF file(s) added`);
      if (result.failed.length) process.exitCode = EXIT.failed;
    });
  models
    .command('catalogue')
    .description('the recommended small models (base + instruct pairs) that "models download <id>" fetches')
    .action(async () => {
      for (const e of await call('catalogue.list', {}))
        console.log(`${e.id}\t${e.role}\t${formatParams(e.parameters)}\t${formatBytes(e.approxSizeBytes)}\t${e.licence}\t${e.uri}`);
    });
  models
    .command('download <uri-or-id>')
    .description(
      'download a GGUF (hf:<user>/<repo>/<file.gguf>, an https URL, or an id from "models catalogue"), check that it is a GGUF and ' +
        'add it to the library; needs an internet connection (HF_TOKEN for gated repositories); Ctrl-C pauses and the same command ' +
        'resumes from the bytes on disk; prints the model id last',
    )
    .option('--dir <folder>', 'download folder (default: the download-folder setting, <data dir>/models)')
    .action(async (ref: string, o: { dir?: string }) => {
      const entry = (await call('catalogue.list', {})).find((e) => e.id === ref);
      const uri = entry?.uri ?? ref;
      if (!entry && !/^(hf:|https?:\/\/)/i.test(uri)) {
        throw new UsageError(`"${ref}" is not an id of "models catalogue", an hf:<user>/<repo>/<file.gguf> URI or an http(s) URL.`);
      }
      const dir = o.dir === undefined ? undefined : userPath(o.dir);
      const ends = watchEnds('download.progress', (d) => d.id, (d) => d.status !== 'downloading' && d.status !== 'verifying');
      on('download.progress', createDownloadProgressReporter());
      // The same command after a Ctrl-C (or a failure) continues the last download of this URI into its folder.
      const earlier = (await call('downloads.list', {})).find(
        (d) => d.uri === uri && (d.status === 'paused' || d.status === 'failed') && (dir === undefined || d.dir === dir),
      );
      const begun = earlier ? await call('downloads.resume', { downloadId: earlier.id }) : await call('downloads.start', { uri, catalogueId: entry?.id, dir });
      const stopListening = onInterrupt(() => void call('downloads.pause', { downloadId: begun.id }));
      const end: DownloadInfo = await ends.end(begun.id);
      stopListening();
      if (end.status === 'paused') {
        console.log(`download ${end.id} paused at ${formatBytes(end.downloadedBytes)} of ${formatBytes(end.totalBytes)}: the same command resumes it`);
        process.exitCode = EXIT.interrupted;
        return;
      }
      if (end.status !== 'done' || end.modelId === null) throw new Error(end.error ?? `Download ${end.id} ended ${end.status}.`);
      const m = await call('models.resolve', { ref: String(end.modelId) });
      console.log(`${m.name} · ${m.architecture ?? '?'} · ${formatParams(m.parameterCount)} · ${m.quantization ?? '?'} · ${m.path}`);
      printId(m.id);
    });

  const family = models.command('family').description('model families: a base model with its instruction-tuned and DPO variants');
  family
    .command('create <name>')
    .description('create a family; prints its id last')
    .action(async (name: string) => printId((await call('families.create', { name })).id));
  family
    .command('list')
    .description('list the families and their members with roles')
    .action(async () => {
      for (const f of await call('families.list', {}))
        console.log(`${f.id}\t${f.name}\t${f.members.map((m) => `${m.modelId}:${m.role}`).join(' ') || '(no members)'}`);
    });
  family
    .command('assign <model> <family>')
    .description('put a model (id or path) in a family (id or name) with a role')
    .addOption(new Option('--role <role>', 'its role in the family').choices(MODEL_ROLES).makeOptionMandatory())
    .action(async (model: string, familyRef: string, o: { role: ModelRole }) => {
      const m = await call('models.resolve', { ref: modelRef(model) });
      const entry = await call('models.setFamily', { modelId: m.id, familyId: await familyId(familyRef), role: o.role });
      console.log(`${entry.name} is now "${o.role}" in family ${familyRef}`);
    });
  family
    .command('unassign <model>')
    .description('take a model out of its family')
    .action(async (model: string) => {
      const m = await call('models.resolve', { ref: modelRef(model) });
      await call('models.setFamily', { modelId: m.id, familyId: null });
      console.log(`${m.name} is in no family now`);
    });
}

/** A model id as is, a path made absolute against the caller's folder. */
export const modelRef = (ref: string) => (/^\d+$/.test(ref) || ref.startsWith('openai:') ? ref : userPath(ref));

async function familyId(ref: string): Promise<number> {
  const family = (await call('families.list', {})).find((f) => String(f.id) === ref || f.name === ref);
  if (!family) throw new Error(`No family "${ref}" (by id or name). List them with "models family list".`);
  return family.id;
}
