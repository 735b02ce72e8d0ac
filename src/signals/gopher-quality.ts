import { isWhitespace } from '../text/chars.js';
import { fnv1a, HAS_LETTER, PLAIN } from '../text/tokenizer.js';
import type { Doc } from './doc.js';
import type { SignalFamily } from './signal.js';
import { codePoints, countOccurrences, hasSurrogates, ratio } from './text-stats.js';

/**
 * Gopher quality (Rae et al. 2021, appendix A; datatrove's GopherQualityFilter): document length
 * in words, mean word length, hash and ellipsis to word ratios, bullet and ellipsis line
 * fractions, the fraction of words with a letter, and stop words. Measured on the normalized text,
 * before any C4 line removal or redaction, as FineWeb ran Gopher before C4.
 */

/** datatrove's PUNCTUATION: a word made only of these is a symbol, not a word. All in the BMP. */
const PUNCTUATION = new Uint8Array(0x10000);
for (const ch of '!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»') PUNCTUATION[ch.charCodeAt(0)] = 1;
for (const [from, to] of [[0, 9], [11, 13], [13, 32], [127, 160]] as const) for (let c = from; c < to; c++) PUNCTUATION[c] = 1;

const LETTER = /\p{L}/u;

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

export function gopherQuality(doc: Doc): GopherQuality {
  const { text, tokens } = doc;
  const astral = hasSurrogates(text);
  let nonSymbol = 0;
  let nonSymbolLength = 0;
  let alpha = 0;
  let stop = 0;
  const { starts, ends, flags, hashes } = tokens;
  for (let t = 0; t < tokens.count; t++) {
    const start = starts[t]!;
    const end = ends[t]!;
    const known = flags[t]!;
    if (known & PLAIN) {
      // ASCII letters and digits: a word, and a letter iff the tokenizer saw one.
      nonSymbol++;
      nonSymbolLength += end - start;
      if (known & HAS_LETTER) alpha++;
      if (end - start <= 4 && isStopWord(text, start, end - start, hashes[t]!)) stop++;
      continue;
    }
    let symbol = true;
    let letter = false;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (symbol && !PUNCTUATION[c]) symbol = false;
      if (!letter && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c > 127 && isLetterAt(text, i)))) letter = true;
      if (!symbol && letter) break;
    }
    if (!symbol) {
      nonSymbol++;
      nonSymbolLength += astral ? codePoints(text.slice(start, end)) : end - start;
    }
    if (letter) alpha++;
    // Stop words are ASCII letters only: PLAIN tokens, counted above.
  }
  // Lines as str.splitlines(): none for an empty text.
  let lines = 0;
  let bullets = 0;
  let ellipsisLines = 0;
  for (let from = 0; text !== '' && from <= text.length; lines++) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    let a = from;
    while (a < to && isWhitespace(text.charCodeAt(a))) a++;
    const first = text.charCodeAt(a);
    if (a < to && (first === 0x2022 || first === 45)) bullets++; // "•" or "-"
    let b = to;
    while (b > from && isWhitespace(text.charCodeAt(b - 1))) b--;
    const last = text.charCodeAt(b - 1);
    if (b > from && (last === 0x2026 || (last === 46 && b - from >= 3 && text.charCodeAt(b - 2) === 46 && text.charCodeAt(b - 3) === 46))) ellipsisLines++;
    from = to + 1;
  }
  return {
    words: nonSymbol,
    meanWordLength: ratio(nonSymbolLength, nonSymbol),
    hashRatio: ratio(countOccurrences(text, '#'), tokens.count),
    ellipsisRatio: ratio(countOccurrences(text, '...') + countOccurrences(text, '…'), tokens.count),
    bulletLinesRatio: ratio(bullets, lines),
    ellipsisLinesRatio: ratio(ellipsisLines, lines),
    alphaWordsRatio: ratio(alpha, tokens.count),
    stopWords: stop,
  };
}

/** Gopher's eight stop words, matched case-sensitively as datatrove does. */
const STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];

/**
 * The stop words by the low bits of their tokenizer hash, with the fewest bits that keep them
 * apart: a short word costs one table read, and characters are compared only on a hit.
 */
const STOP_TABLE = ((): { mask: number; words: (string | undefined)[] } => {
  for (let bits = 3; ; bits++) {
    const mask = (1 << bits) - 1;
    const words = new Array<string | undefined>(mask + 1);
    if (STOP_WORDS.every((w) => words[fnv1a(w, 0, w.length) & mask] === undefined && (words[fnv1a(w, 0, w.length) & mask] = w))) return { mask, words };
  }
})();

/** Whether a PLAIN token (with its tokenizer hash) is a stop word. */
function isStopWord(text: string, start: number, length: number, hash: number): boolean {
  const word = STOP_TABLE.words[hash & STOP_TABLE.mask];
  return word !== undefined && word.length === length && text.startsWith(word, start);
}

function isLetterAt(text: string, i: number): boolean {
  return LETTER.test(String.fromCodePoint(text.codePointAt(i)!));
}

export const gopherQualityFamily: SignalFamily = {
  name: 'gopher_quality',
  stage: 'normalized',
  description: 'Gopher quality heuristics (Rae et al. 2021, appendix A)',
  signals: [
    { name: 'gopher_words', type: 'INTEGER', description: 'words that are not only punctuation' },
    { name: 'gopher_mean_word_length', type: 'DOUBLE', description: 'mean length of those words, in characters' },
    { name: 'gopher_hash_ratio', type: 'DOUBLE', description: '"#" per word' },
    { name: 'gopher_ellipsis_ratio', type: 'DOUBLE', description: '"..." and "…" per word' },
    { name: 'gopher_bullet_lines_ratio', type: 'DOUBLE', description: 'fraction of lines starting with "•" or "-"' },
    { name: 'gopher_ellipsis_lines_ratio', type: 'DOUBLE', description: 'fraction of lines ending with "..." or "…"' },
    { name: 'gopher_alpha_words_ratio', type: 'DOUBLE', description: 'fraction of words with at least one letter' },
    { name: 'gopher_stop_words', type: 'INTEGER', description: 'occurrences of the, be, to, of, and, that, have, with' },
  ],
  measure(doc, out, at) {
    const s = gopherQuality(doc);
    out[at] = s.words;
    out[at + 1] = s.meanWordLength;
    out[at + 2] = s.hashRatio;
    out[at + 3] = s.ellipsisRatio;
    out[at + 4] = s.bulletLinesRatio;
    out[at + 5] = s.ellipsisLinesRatio;
    out[at + 6] = s.alphaWordsRatio;
    out[at + 7] = s.stopWords;
  },
};
