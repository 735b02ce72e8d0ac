import { isWhitespace } from '../text/chars.js';
import { forEachLine } from '../text/lines.js';
import { StopWordTable, wordKernel } from '../text/word-kernel-host.js';
import { defineFamily, type DocView } from './signal.js';
import { countOccurrences, ratio } from './text-stats.js';

/**
 * Gopher quality (Rae et al. 2021, appendix A; datatrove's GopherQualityFilter): document length
 * in words, mean word length, hash and ellipsis to word ratios, bullet and ellipsis line
 * fractions, the fraction of words with a letter, and stop words. Measured on the normalized text,
 * before any C4 line removal or redaction, as FineWeb ran Gopher before C4.
 */

export interface GopherQuality {
  words: number;
  meanWordLength: number | null;
  hashRatio: number | null;
  ellipsisRatio: number | null;
  bulletLinesRatio: number | null;
  ellipsisLinesRatio: number | null;
  alphaWordsRatio: number | null;
  stopWords: number;
}

export function gopherQuality(doc: DocView): GopherQuality {
  const { text } = doc;
  // Token statistics are counted in WebAssembly (src/text/word-kernel.as.ts), over the same tokens.
  const words = wordKernel().wordStats(text, doc.astral, STOP_TABLE);
  // Lines as the reference's str.splitlines() (src/text/lines.ts): none for an empty text.
  let bullets = 0;
  let ellipsisLines = 0;
  const lines = forEachLine(text, (from, to) => {
    let a = from;
    while (a < to && isWhitespace(text.charCodeAt(a))) a++;
    const first = text.charCodeAt(a);
    if (a < to && (first === 0x2022 || first === 45)) bullets++; // "•" or "-"
    let b = to;
    while (b > from && isWhitespace(text.charCodeAt(b - 1))) b--;
    const last = text.charCodeAt(b - 1);
    if (b > from && (last === 0x2026 || (last === 46 && b - from >= 3 && text.charCodeAt(b - 2) === 46 && text.charCodeAt(b - 3) === 46))) ellipsisLines++;
  }, doc.otherBreaks, doc.otherBreaks ? undefined : doc.lines);
  return {
    words: words.nonSymbol,
    meanWordLength: ratio(words.nonSymbolLength, words.nonSymbol),
    hashRatio: ratio(countOccurrences(text, '#'), words.tokens),
    ellipsisRatio: ratio(countOccurrences(text, '...') + countOccurrences(text, '…'), words.tokens),
    bulletLinesRatio: ratio(bullets, lines),
    ellipsisLinesRatio: ratio(ellipsisLines, lines),
    alphaWordsRatio: ratio(words.alpha, words.tokens),
    stopWords: words.stop,
  };
}

/** Gopher's eight stop words, matched case-sensitively as datatrove does. */
const STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];

/** The stop words as the word kernel looks them up. */
const STOP_TABLE = new StopWordTable(STOP_WORDS);

export const gopherQualityFamily = defineFamily({
  name: 'gopher_quality',
  stage: 'normalized',
  version: 2,
  description: 'Gopher quality heuristics (Rae et al. 2021, appendix A)',
  signals: [
    { name: 'gopher_words', type: 'INTEGER', description: 'words that are not only punctuation' },
    { name: 'gopher_mean_word_length', type: 'DOUBLE', description: 'mean length of those words, in characters' },
    { name: 'gopher_hash_ratio', type: 'DOUBLE', description: '"#" per word' },
    { name: 'gopher_ellipsis_ratio', type: 'DOUBLE', description: '"..." and "…" per word' },
    { name: 'gopher_bullet_lines_ratio', type: 'DOUBLE', description: 'fraction of lines starting with "•" or "-"' },
    { name: 'gopher_ellipsis_lines_ratio', type: 'DOUBLE', description: 'fraction of lines ending with "..." or "…"' },
    { name: 'gopher_alpha_words_ratio', type: 'DOUBLE', description: 'fraction of words with at least one letter' },
    { name: 'gopher_stop_words', type: 'INTEGER', description: 'how many of the, be, to, of, and, that, have, with the text holds (distinct, 0 to 8)' },
  ],
  measure(doc, out) {
    const s = gopherQuality(doc);
    out.gopher_words(s.words);
    out.gopher_mean_word_length(s.meanWordLength);
    out.gopher_hash_ratio(s.hashRatio);
    out.gopher_ellipsis_ratio(s.ellipsisRatio);
    out.gopher_bullet_lines_ratio(s.bulletLinesRatio);
    out.gopher_ellipsis_lines_ratio(s.ellipsisLinesRatio);
    out.gopher_alpha_words_ratio(s.alphaWordsRatio);
    out.gopher_stop_words(s.stopWords);
  },
});
