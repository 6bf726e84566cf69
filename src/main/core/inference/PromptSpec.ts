/**
 * What a prompting method produces for one item: everything the backend needs, nothing it must guess.
 *
 * - `completion`: raw text continuation. `prefix` is the part shared by every item of the run (URIAL's
 *   preamble + examples); `text` starts with `prefix`. The backend tokenizes `prefix` once and reuses
 *   its KV state across items.
 * - `chat`: messages rendered by the model's own chat template (or `chatTemplate` override) in the backend.
 *
 * `stop` strings are matched in *text space* by the backend (token-level stop triggers miss strings that
 * contain a space with SentencePiece vocabularies, DESIGN §3). The output is cut before the stop.
 */
export type PromptSpec =
  | {
      kind: 'completion';
      text: string;
      prefix: string;
      stop: string[];
      clean: CleanRule;
    }
  | {
      kind: 'chat';
      system?: string;
      user: string;
      chatTemplate?: string;
      /** YYYY-MM-DD given to templates that print today's date, fixed per run. */
      date?: string;
      /** The user confirmed folding `system` into the user turn on a template without a system role. */
      allowSystemFold?: boolean;
      stop: string[];
      clean: CleanRule;
    };

/** How the stored `output` is derived from `output_raw` (the raw text is always kept). */
export type CleanRule = 'none' | 'urial';
