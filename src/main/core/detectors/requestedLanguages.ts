/**
 * Languages an instruction names ("translate into French", "réponds en espagnol", "¿cómo se dice … en
 * inglés?", "a German verb"): lines in them are expected content (the translation, the examples), not a
 * confusion. Names in English, French and Spanish, the project's languages; codes are lid.176 labels.
 */
const NAMES: Record<string, readonly string[]> = {
  en: ['english', 'anglais', 'inglés', 'ingles'],
  fr: ['french', 'français', 'francais', 'francés', 'frances'],
  es: ['spanish', 'espagnol', 'español', 'espanol', 'castellano'],
  de: ['german', 'allemand', 'alemán', 'aleman', 'deutsch'],
  it: ['italian', 'italien', 'italiano'],
  pt: ['portuguese', 'portugais', 'portugués', 'portugues'],
  nl: ['dutch', 'néerlandais', 'neerlandais', 'holandés', 'neerlandés'],
  la: ['latin', 'latín'],
  el: ['greek', 'grec', 'griego'],
  ru: ['russian', 'russe', 'ruso'],
  zh: ['chinese', 'mandarin', 'chinois', 'chino'],
  ja: ['japanese', 'japonais', 'japonés'],
  ko: ['korean', 'coréen', 'coreen', 'coreano'],
  ar: ['arabic', 'arabe', 'árabe'],
  hi: ['hindi'],
  tr: ['turkish', 'turc', 'turco'],
  sv: ['swedish', 'suédois', 'sueco'],
  pl: ['polish', 'polonais', 'polaco'],
  ca: ['catalan', 'catalán'],
  eo: ['esperanto'],
};

const WORD = /\p{L}+/gu;

/** lid.176 codes of the languages named in `instruction`. */
export function requestedLanguages(instruction: string): Set<string> {
  const words = new Set((instruction.toLowerCase().match(WORD) ?? []));
  const found = new Set<string>();
  for (const [code, names] of Object.entries(NAMES)) if (names.some((n) => words.has(n))) found.add(code);
  return found;
}
