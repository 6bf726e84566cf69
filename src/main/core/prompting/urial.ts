import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Item, MethodConfig } from '../../../shared/domain';
import { InputError } from '../../../shared/errors';
import { decodeUtf8Strict, NotUtf8Error, RESAVE_AS_UTF8 } from '../files/decodeUtf8Strict';
import type { PreparedMethod, PromptMethod, PromptSpec } from './PromptMethod';
import { parseUrialFile } from './parseUrialFile';
import type { ParsedUrialFile } from './parseUrialFile';
import { resolveUrialPromptFile } from './resolveUrialPromptFile';
import type { UrialPromptDirs } from './resolveUrialPromptFile';
import { URIAL_STOPS, urialTemplate, urialTemplateFor } from './urialTemplate';
import type { UrialTemplateName } from './urialTemplate';

/**
 * URIAL (Lin et al. 2023): in-context alignment of a base model. The whole prompt file (instructions + K
 * examples) is sent as a raw completion, followed by the new instruction exactly as the reference code appends
 * it; the model writes the answer and is stopped when it starts the next turn.
 *
 * `dirs` locates the shipped prompts used when the config names no file; without it only an explicit
 * `promptFile` works.
 */
export function createUrialMethod(dirs?: UrialPromptDirs): PromptMethod {
  return {
    name: 'urial',
    prepare(config: MethodConfig): PreparedMethod {
      const path = urialPromptPath(config, dirs);
      return prepareUrialText(readPromptFile(path), path);
    },
  };
}

/**
 * Prepares from text already in memory (previews, imported files). `path` is recorded as-is in describe();
 * the sha256 is computed over the given text.
 */
export function prepareUrialText(fileText: string | Buffer, path: string): PreparedMethod & { parsed: ParsedUrialFile } {
  const bytes = typeof fileText === 'string' ? Buffer.from(fileText, 'utf8') : fileText;
  // The hash identifies the file on disk, so it is taken before any normalisation.
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = normalizeNewlines(decodeText(bytes, path));
  const parsed = parseUrialFile(text, path);
  const templateName = urialTemplateFor(path, parsed.style);
  const prepared = prepareUrialTemplate(text, templateName);
  return {
    parsed,
    build: prepared.build,
    describe(): Record<string, string> {
      return {
        promptFile: path,
        promptSha256: sha256,
        promptStyle: parsed.style,
        promptTemplate: templateName,
        examples: String(parsed.examples.length),
        // Recorded with the run so an irregular file (e.g. inst_2k_v4's nested example) stays visible.
        ...(parsed.warnings.length > 0 && { promptWarnings: parsed.warnings.join(' ') }),
      };
    },
  };
}

/**
 * The reference assembly: the file text exactly as read, then the new turn in the reference's template. The
 * part up to the instruction is identical for all items: the backend evaluates it once and reuses the KV cache.
 */
function prepareUrialTemplate(fileText: string, templateName: UrialTemplateName): Pick<PreparedMethod, 'build'> {
  const template = urialTemplate(templateName);
  const prefix = fileText + template.openUser;
  return {
    build(item: Item): PromptSpec {
      return {
        kind: 'completion',
        prefix,
        text: prefix + template.instruction(item.instruction) + template.openAssistant,
        stop: [...URIAL_STOPS],
        // The reference cleaning (delete ``` then trim) is applied to both styles, as the URIAL code does.
        clean: 'urial',
      };
    },
  };
}

/**
 * `urial-zero`: the reference's own zero-shot, its URIAL conversation template with an empty system message,
 * i.e. no preamble and no examples, only the query/answer headings around the instruction. It needs no prompt
 * file, so it is the raw-instruction baseline in URIAL's format.
 */
export const urialZeroMethod: PromptMethod = {
  name: 'urial-zero',
  prepare(): PreparedMethod {
    const prepared = prepareUrialTemplate('', 'urial-backticks');
    return {
      build: prepared.build,
      describe: () => ({ promptTemplate: 'urial-backticks', examples: '0' }),
    };
  },
};

function urialPromptPath(config: MethodConfig, dirs: UrialPromptDirs | undefined): string {
  if (config.promptFile !== undefined && config.promptFile.trim() !== '') return resolve(config.promptFile);
  if (dirs === undefined) {
    throw new Error(
      'URIAL needs a prompt file: none was given and the shipped prompt folders are not configured. ' +
        'Choose a prompt file (e.g. inst_1k_v4.txt from the official URIAL prompts).',
    );
  }
  return resolve(resolveUrialPromptFile(config.promptLang ?? 'en', dirs));
}

function readPromptFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new InputError(
      `Cannot read the URIAL prompt file ${path} (${reason}). Check that the file exists and is readable, ` +
        'or leave the prompt file empty to use the shipped prompt for the prompt language.',
      { cause: err },
    );
  }
}

function decodeText(bytes: Buffer, path: string): string {
  try {
    return decodeUtf8Strict(bytes);
  } catch (err) {
    if (!(err instanceof NotUtf8Error)) throw err;
    throw new InputError(`URIAL prompt file ${path}: ${err.message}. ${RESAVE_AS_UTF8}`, { cause: err });
  }
}

/**
 * A UTF-8 BOM or Windows line endings (files edited by hand) would otherwise end up in the prompt and
 * mix "\r\n" with the "\n" we append. The official files have neither, so they are unchanged.
 */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}
