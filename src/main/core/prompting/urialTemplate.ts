import { basename } from 'node:path';
import type { UrialStyle } from './parseUrialFile';

/**
 * How the URIAL reference code (Re-Align/URIAL, `fastchat_conversation.py` + `apply_template`) appends a new
 * instruction to a prompt file. The file text is used exactly as read (no trimming): the reference sets it as
 * the conversation's system message and appends the turns, so each file's own ending (inst_1k ends with "```",
 * the v4 files with "```\n", inst_2k with "```  \n") shows in the prompt. Reproducing that byte for byte is what
 * makes our numbers comparable with the published ones.
 *
 * The names are the reference's conversation templates:
 * - `urial-backticks`: "\n# Query:\n```\n{q}\n```\n" then "\n# Answer:\n```\n" (every `inst_1k*`/`inst_2k*`/
 *   `inst_1shot`/`inst_only` file).
 * - `urial-v6`: "\n\n# User:\n{q without surrounding newlines}\n" then "\n\n# Assistant:\n" (`inst_help_v6*`).
 * - `urial-v5`: "\n# User:\n\n{q}\n\n" then "\n# Assistant:\n\n" (`inst_help_v5*`; no such file in the official
 *   set we verify, kept because the reference selects it by name).
 */
export const URIAL_TEMPLATES = ['urial-backticks', 'urial-v5', 'urial-v6'] as const;
export type UrialTemplateName = (typeof URIAL_TEMPLATES)[number];

export interface UrialTemplate {
  /** Appended to the file text: opens the new user turn, up to the instruction (shared by every item). */
  openUser: string;
  /** The instruction as the reference inserts it. */
  instruction(text: string): string;
  /** Appended after the instruction: closes the user turn and opens the assistant turn. */
  openAssistant: string;
}

const TEMPLATES: Record<UrialTemplateName, UrialTemplate> = {
  'urial-backticks': {
    openUser: '\n# Query:\n```\n',
    instruction: (text) => text,
    openAssistant: '\n```\n\n# Answer:\n```\n',
  },
  'urial-v5': {
    openUser: '\n# User:\n\n',
    instruction: (text) => text,
    openAssistant: '\n\n\n# Assistant:\n\n',
  },
  'urial-v6': {
    openUser: '\n\n# User:\n',
    // The reference strips newlines (only) around the message in this template.
    instruction: (text) => text.replace(/^\n+|\n+$/g, ''),
    openAssistant: '\n\n\n# Assistant:\n',
  },
};

/**
 * The reference's stop strings for its Just-Eval runs (URIAL repo, `src/legacy/vllm_infer/README.md`): both
 * turn headings, whatever the file's style, since a model may start either.
 */
export const URIAL_STOPS: readonly string[] = ['# Query', '# User'];

export function urialTemplate(name: UrialTemplateName): UrialTemplate {
  return TEMPLATES[name];
}

/**
 * The template the reference would use for a file. The reference chooses by file name ("inst_help_v5" /
 * "inst_help_v6" in it, otherwise backticks); an imported file in the `# User:` style under another name gets
 * the v6 template, the only `# User:` file in the official set, rather than backticks that would not match
 * its own examples.
 */
export function urialTemplateFor(path: string, style: UrialStyle): UrialTemplateName {
  const name = basename(path);
  if (name.includes('inst_help_v5')) return 'urial-v5';
  if (name.includes('inst_help_v6')) return 'urial-v6';
  return style === 'user-assistant' ? 'urial-v6' : 'urial-backticks';
}
