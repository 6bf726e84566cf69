import {
  JinjaTemplateChatWrapper,
  resolvableChatWrapperTypeNames,
  resolveChatWrapper,
  type ChatWrapper,
  type LlamaModel,
  type ResolvableChatWrapperTypeName,
} from 'node-llama-cpp';

/**
 * The chat wrapper a run really uses, said truthfully. node-llama-cpp's "auto" may replace a GGUF's Jinja
 * template with a built-in wrapper it deems equivalent (stories260K-chatml's ChatML template becomes
 * `ChatMLChatWrapper`), and templates that print today's date (Llama 3.x) would change the prompt from day to
 * day; both are recorded, and the date is pinned per run.
 */
export interface ChatWrapperInfo {
  /** The wrapper's class, e.g. "JinjaTemplateChatWrapper", "ChatMLChatWrapper". */
  chatWrapper: string;
  /** True when the prompt is rendered by the GGUF's own Jinja template (not a built-in replacement). */
  ggufJinja: boolean;
  /** Whether the template has a system role (otherwise a system prompt would be folded into the user turn). */
  supportsSystemMessages: boolean;
  /** The date given to templates that print one (YYYY-MM-DD), when pinned. */
  chatDate?: string;
  /**
   * False when the Jinja template calls `strftime_now`: node-llama-cpp 3.21.1 renders it with the system clock
   * and cannot be given a function (render parameters are structured-cloned), so that date is not pinned.
   */
  datePinned?: boolean;
}

export interface RunChatWrapperOptions {
  /** A named node-llama-cpp wrapper overriding the GGUF's template; undefined = the model's own. */
  name?: string;
  /** YYYY-MM-DD: the "today" of date-printing templates, fixed for the whole run (resume included). */
  date?: string;
}

export function resolveRunChatWrapper(model: LlamaModel, options: RunChatWrapperOptions): { wrapper: ChatWrapper; info: ChatWrapperInfo } {
  const { name, date } = options;
  // node-llama-cpp would quietly fall back to the model's template for an unknown name: refuse instead.
  if (name && !(resolvableChatWrapperTypeNames as readonly string[]).includes(name))
    throw new Error(`Unknown chat template "${name}". Known names: ${resolvableChatWrapperTypeNames.join(', ')}.`);
  const wrapper = resolveChatWrapper(model, {
    type: (name ?? 'auto') as ResolvableChatWrapperTypeName,
    ...(date !== undefined && { customWrapperSettings: pinnedDateSettings(parseDay(date)) }),
  });
  const ggufTemplate = model.fileInfo.metadata.tokenizer?.chat_template;
  const ggufJinja = wrapper instanceof JinjaTemplateChatWrapper && typeof ggufTemplate === 'string' && wrapper.template === ggufTemplate;
  return {
    wrapper,
    info: {
      chatWrapper: wrapper.constructor.name,
      ggufJinja,
      supportsSystemMessages: wrapper.settings.supportsSystemMessages,
      ...(date !== undefined && { chatDate: date }),
      ...(wrapper instanceof JinjaTemplateChatWrapper && wrapper.template.includes('strftime_now') && { datePinned: false }),
    },
  };
}

/**
 * The date settings of every wrapper that prints one: Llama 3.1/3.2 and Harmony take `todayDate`; Jinja
 * templates read `date_string` (Llama 3.x GGUFs); `strftime_now` can't be replaced (see `datePinned`).
 */
export function pinnedDateSettings(day: Date) {
  return {
    'llama3.1': { todayDate: day },
    'llama3.2-lightweight': { todayDate: day },
    harmony: { todayDate: day },
    jinjaTemplate: {
      additionalRenderParameters: {
        date_string: strftime(day, '%d %b %Y'),
      },
    },
  };
}

function parseDay(date: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(day.getTime())) throw new Error(`Invalid chat date "${date}": expected YYYY-MM-DD.`);
  return day;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The strftime subset chat templates use, in UTC and English month names (as Python's C locale). */
export function strftime(day: Date, format: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = MONTHS[day.getUTCMonth()]!;
  return format.replace(/%[YmdbB%]/g, (token) => {
    switch (token) {
      case '%Y':
        return String(day.getUTCFullYear());
      case '%m':
        return pad(day.getUTCMonth() + 1);
      case '%d':
        return pad(day.getUTCDate());
      case '%b':
        return month.slice(0, 3);
      case '%B':
        return month;
      default:
        return '%';
    }
  });
}
