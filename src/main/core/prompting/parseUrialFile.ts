import { InputError } from '../../../shared/errors';

/**
 * Parsing of URIAL prompt files (official Apache-2.0 files or the project's own translations).
 *
 * Two styles exist in the official set:
 * - `query-answer` (`inst_1k*`, `inst_2k*`, `inst_1shot`, `inst_only`): `# Query:` / `# Answer:` headings,
 *   each turn wrapped in triple-backtick fences.
 * - `user-assistant` (`inst_help_v5/v6` family): `# User:` / `# Assistant:` headings, no fences, turns
 *   separated by two blank lines.
 *
 * The style is detected from the content rather than from the file name (imported files can be named
 * anything); it decides how the examples are read and, for files the reference does not know by name, which
 * of its templates appends a new instruction (urialTemplate.ts).
 */

export const URIAL_STYLES = ['query-answer', 'user-assistant'] as const;
export type UrialStyle = (typeof URIAL_STYLES)[number];

export interface UrialStyleFormat {
  /** Heading of a user turn, as a whole line. */
  userMarker: string;
  /** Heading of an assistant turn, as a whole line. */
  assistantMarker: string;
}

/** The headings of each style. How a new turn is appended is the reference's template (urialTemplate.ts). */
export const URIAL_STYLE_FORMATS: Record<UrialStyle, UrialStyleFormat> = {
  'query-answer': { userMarker: '# Query:', assistantMarker: '# Answer:' },
  'user-assistant': { userMarker: '# User:', assistantMarker: '# Assistant:' },
};

export interface UrialExample {
  query: string;
  answer: string;
}

export interface ParsedUrialFile {
  style: UrialStyle;
  /** The instructions before the first example ("# Instruction\n\nBelow is a list of conversations…"). */
  header: string;
  /** The in-context examples in the order of their queries (K = examples.length; 0 for `inst_only`). */
  examples: UrialExample[];
  /** Irregularities that do not stop the file from being used, for previews and the run record. */
  warnings: string[];
}

const FENCE = '```';

interface Turn {
  role: 'user' | 'assistant';
  start: number;
  body: string;
}

/**
 * Detects the style and splits a URIAL file into its header and examples.
 * `source` (usually the file path) only serves error messages.
 * Markers count only at the start of a line: the header itself mentions "# Query:" inside quotes.
 *
 * Turns are paired like brackets, not strictly alternately: the official inst_2k_v4 nests one example inside
 * another (Query A, Query B, Answer B, Answer A) and the answers' content matches that pairing. Such nesting is
 * reported in `warnings`; a query without an answer (or the reverse) is an error, since it would leave the
 * model with a dangling turn.
 */
export function parseUrialFile(text: string, source = 'URIAL prompt'): ParsedUrialFile {
  if (text.trim() === '') {
    throw new InputError(
      `${source} is empty. Choose a URIAL prompt file with examples (e.g. inst_1k_v4.txt from the official URIAL prompts), ` +
        'or leave the prompt file unset to use the shipped prompt for the prompt language.',
    );
  }
  const style = detectUrialStyle(text, source);
  const format = URIAL_STYLE_FORMATS[style];

  const markers = [
    ...[...text.matchAll(lineMarkerRegExp(format.userMarker))].map((m) => ({ role: 'user' as const, m })),
    ...[...text.matchAll(lineMarkerRegExp(format.assistantMarker))].map((m) => ({ role: 'assistant' as const, m })),
  ].sort((a, b) => a.m.index - b.m.index);
  const turns: Turn[] = markers.map(({ role, m }, i) => ({
    role,
    start: m.index,
    body: text.slice(m.index + m[0].length, markers[i + 1]?.m.index ?? text.length),
  }));

  const header = (turns.length > 0 ? text.slice(0, turns[0]?.start) : text).trim();
  const clean = (body: string): string => (style === 'query-answer' ? unfence(body) : body.trim());
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;

  const open: Turn[] = [];
  const pairs: { query: Turn; answer: Turn }[] = [];
  const warnings: string[] = [];
  for (const turn of turns) {
    if (turn.role === 'user') {
      if (open.length > 0) {
        warnings.push(
          `${source}: the "${format.userMarker}" on line ${lineOf(turn.start)} comes before the previous query was answered (nested examples).`,
        );
      }
      open.push(turn);
      continue;
    }
    const query = open.pop();
    if (query === undefined) {
      throw new InputError(
        `${source}: the "${format.assistantMarker}" on line ${lineOf(turn.start)} has no "${format.userMarker}" before it. ` +
          `Every example needs a "${format.userMarker}" line, then a "${format.assistantMarker}" line.`,
      );
    }
    pairs.push({ query, answer: turn });
  }
  const unanswered = open[0];
  if (unanswered !== undefined) {
    throw new InputError(
      `${source}: the "${format.userMarker}" on line ${lineOf(unanswered.start)} has no "${format.assistantMarker}" after it. ` +
        `Every example needs a "${format.userMarker}" line, then a "${format.assistantMarker}" line.`,
    );
  }

  if (style === 'query-answer') {
    // An unclosed fence still parses (turns are cut at the headings), but the model would then see the
    // following heading inside a code block: worth a warning, not a refusal.
    for (const turn of turns) {
      if (turn.body.split(FENCE).length % 2 === 0) {
        const marker = turn.role === 'user' ? format.userMarker : format.assistantMarker;
        warnings.push(`${source}: the "${marker}" on line ${lineOf(turn.start)} has an unclosed ${FENCE} fence.`);
      }
    }
  }

  pairs.sort((a, b) => a.query.start - b.query.start);
  const examples = pairs.map(({ query, answer }) => ({ query: clean(query.body), answer: clean(answer.body) }));
  return { style, header, examples, warnings };
}

/**
 * Line-start markers decide; a file with no examples (`inst_only`) is recognised by its header, which names
 * the markers inside quotes.
 */
function detectUrialStyle(text: string, source: string): UrialStyle {
  const firstLineMarker = (style: UrialStyle): number => {
    const m = lineMarkerRegExp(URIAL_STYLE_FORMATS[style].userMarker).exec(text);
    return m === null ? -1 : m.index;
  };
  const qa = firstLineMarker('query-answer');
  const ua = firstLineMarker('user-assistant');
  if (qa !== -1 || ua !== -1) {
    // Both present (e.g. an example that talks about the other format): the first heading wins.
    if (ua === -1) return 'query-answer';
    if (qa === -1) return 'user-assistant';
    return qa < ua ? 'query-answer' : 'user-assistant';
  }
  if (text.includes('# Query:')) return 'query-answer';
  if (text.includes('# User:')) return 'user-assistant';
  throw new InputError(
    `${source} is not a URIAL prompt file: expected example headings "# Query:" / "# Answer:" (with ${FENCE} fences) ` +
      `or "# User:" / "# Assistant:" at the start of a line, found neither.`,
  );
}

function lineMarkerRegExp(marker: string): RegExp {
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Heading on its own line (inst_2k has trailing spaces on some lines, hence [ \t]*).
  return new RegExp(`^${escaped}[ \\t]*$`, 'gm');
}

/** Removes the outer fence of a turn; `inst_2k` puts the fences on the query's own line ("```What…```"). */
function unfence(turn: string): string {
  let s = turn.trim();
  if (s.startsWith(FENCE)) s = s.slice(FENCE.length);
  if (s.endsWith(FENCE)) s = s.slice(0, -FENCE.length);
  return s.trim();
}
