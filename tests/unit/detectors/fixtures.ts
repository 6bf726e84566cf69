import type { DetectorInput } from '../../../src/main/core/detectors/Detector';

/** A generation as the detectors see it; `output` defaults to the raw text. */
export function input(outputRaw: string, over: Partial<DetectorInput> = {}): DetectorInput {
  return {
    outputRaw,
    output: outputRaw,
    finishReason: 'eos',
    outputTokens: Math.ceil(outputRaw.length / 4),
    maxTokens: 512,
    expectedLang: 'en',
    instruction: 'Answer the question.',
    taskTypes: ['info-seek'],
    ...over,
  };
}

export const CLEAN = {
  en: `The French Revolution began in 1789 and changed the political landscape of Europe.
It started with a financial crisis: the monarchy could no longer pay its debts.
The Estates-General met in Versailles, and the Third Estate declared itself a National Assembly.
In July, the people of Paris stormed the Bastille, a symbol of royal power.
Over the following years, the monarchy was abolished and a republic was proclaimed.
In short, the revolution spread the ideas of liberty, equality and citizenship.`,
  fr: `La Révolution française commence en 1789 et transforme profondément la société.
Tout part d’une crise financière : la monarchie ne parvient plus à payer ses dettes.
Les états généraux se réunissent à Versailles et le tiers état se proclame Assemblée nationale.
En juillet, le peuple de Paris prend la Bastille, symbole du pouvoir royal.
Quelques années plus tard, la monarchie est abolie et la République est proclamée.
En résumé, la Révolution diffuse les idées de liberté, d’égalité et de citoyenneté.`,
  es: `La Revolución francesa comenzó en 1789 y cambió la política de toda Europa.
Empezó con una crisis financiera: la monarquía ya no podía pagar sus deudas.
Los Estados Generales se reunieron en Versalles y el Tercer Estado se declaró Asamblea Nacional.
En julio, el pueblo de París tomó la Bastilla, símbolo del poder real.
Años después, la monarquía fue abolida y se proclamó la república.
En resumen, la revolución difundió las ideas de libertad, igualdad y ciudadanía.`,
};

/** A long, non-repetitive answer (a list of distinct facts), for the truncated-not-loop case. */
export const LONG_EN = [
  'Here are some practical tips for learning a new language as an adult.',
  '1. Set a clear goal, such as ordering food or reading a newspaper, and measure progress weekly.',
  '2. Study a little every day; twenty focused minutes beat a three-hour session on Sunday.',
  '3. Learn the most frequent thousand words first, because they cover most everyday conversation.',
  '4. Listen to podcasts while commuting, even when you only understand half of what is said.',
  '5. Find a conversation partner online and speak from the first week, mistakes included.',
  '6. Keep a notebook of useful phrases rather than isolated words, with an example for each.',
  '7. Use spaced repetition software to review vocabulary just before you would forget it.',
  '8. Watch series with subtitles in the target language, then without subtitles once familiar.',
  '9. Read graded readers: short novels written for learners at a specific level.',
  '10. Record yourself speaking and compare your pronunciation with native recordings.',
  '11. Change the language of your phone so that daily routines become small lessons.',
  '12. Travel, if you can, and force yourself to ask strangers for directions and recommendations',
].join('\n');
