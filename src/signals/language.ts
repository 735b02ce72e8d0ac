import { LABEL_PREFIX } from '../config/fasttext-label.js';
import type { SignalsConfig } from '../config/pipeline.js';
import { defineFamily } from './signal.js';

/**
 * Language identification. The default backend is fastText's lid.176 model (as FineWeb used,
 * through datatrove), run in WebAssembly by fasttext.wasm.js, which ships the quantized
 * lid.176.ftz: FineWeb used the full lid.176.bin, which cannot be shipped in an npm package; the
 * two agree on the top language for nearly all text of more than a few words. As in datatrove, the
 * text's newlines become spaces. Only the first `max_chars` characters are read (100,000 by
 * default; datatrove reads all), which bounds memory for huge documents.
 *
 * `lang` is fastText's label (ISO 639-1 where one exists: "en", "fr"; otherwise what lid.176 uses:
 * "ceb", "als"); `lang_score` is its probability. The franc backend (n-gram statistics, weaker on
 * short text) maps ISO 639-3 to 639-1 where possible and reports 1 minus the runner-up's relative
 * score, which is not a probability: thresholds tuned for fastText do not carry over.
 */
interface Identifier {
  identify(text: string): { lang: string; score: number } | null;
}

async function fastTextIdentifier(): Promise<Identifier> {
  const { getLIDModel } = await import('fasttext.wasm.js');
  const model = await (await getLIDModel()).load();
  return {
    identify(text) {
      const predictions = model.predict(text, 1, 0);
      try {
        if (predictions.size() === 0) return null;
        const [score, label] = predictions.get(0);
        return { lang: String(label).replace(LABEL_PREFIX, ''), score: Number(score) };
      } finally {
        // Predictions live in WebAssembly memory until deleted.
        (predictions as unknown as { delete?: () => void }).delete?.();
      }
    },
  };
}

async function francIdentifier(): Promise<Identifier> {
  const { francAll } = await import('franc');
  const { iso6393 } = await import('iso-639-3');
  const toTwoLetter = new Map(iso6393.filter((l) => l.iso6391).map((l) => [l.iso6393, l.iso6391!]));
  return {
    identify(text) {
      const [best, second] = francAll(text, { minLength: 10 });
      if (!best || best[0] === 'und') return null;
      return { lang: toTwoLetter.get(best[0]) ?? best[0], score: 1 - (second?.[1] ?? 0) };
    },
  };
}

const SPACE_FOR_NEWLINE = /\n/g;

export function languageFamily(config: SignalsConfig['language']) {
  let identifier: Identifier | undefined;
  return defineFamily({
    name: 'language',
    stage: 'final',
    version: 1,
    description: `language identification (${config.backend === 'fasttext' ? 'fastText lid.176' : 'franc'})`,
    async prepare() {
      identifier ??= config.backend === 'fasttext' ? await fastTextIdentifier() : await francIdentifier();
    },
    signals: [
      { name: 'lang', type: 'VARCHAR', description: 'most likely language' },
      { name: 'lang_score', type: 'DOUBLE', description: 'its score (fastText: probability)' },
    ],
    measure(doc, out) {
      if (!identifier) throw new Error('language identification used before prepare()');
      const text = doc.text.length > config.max_chars ? doc.text.slice(0, config.max_chars) : doc.text;
      const found = identifier.identify(text.replace(SPACE_FOR_NEWLINE, ' '));
      out.lang(found?.lang ?? null);
      out.lang_score(found?.score ?? null);
    },
  });
}

