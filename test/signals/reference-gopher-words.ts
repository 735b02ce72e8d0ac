import { codePoints, hasSurrogates } from '../../src/signals/text-stats.js';
import { PUNCTUATION } from '../../src/text/chars.js';
import { fnv1a, HAS_LETTER, PLAIN, type Tokens } from '../../src/text/tokenizer.js';

// Gopher quality's word statistics as they were written in JavaScript, before they moved to
// WebAssembly (src/text/word-kernel.as.ts): the reference the kernel is tested against.

const LETTER = /\p{L}/u;
const STOP_WORDS = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];
const STOP_HASHES = new Int32Array(STOP_WORDS.map((w) => fnv1a(w, 0, w.length)));

function isStopWord(text: string, start: number, length: number, hash: number): boolean {
  for (let k = 0; k < STOP_HASHES.length; k++) {
    if (STOP_HASHES[k] === hash) {
      const word = STOP_WORDS[k]!;
      return word.length === length && text.startsWith(word, start);
    }
  }
  return false;
}

function isLetterAt(text: string, i: number): boolean {
  return LETTER.test(String.fromCodePoint(text.codePointAt(i)!));
}

export function referenceWordStats(tokens: Tokens): { words: number; length: number; alpha: number; stop: number } {
  const { text } = tokens;
  const astral = hasSurrogates(text);
  let nonSymbol = 0;
  let nonSymbolLength = 0;
  let alpha = 0;
  const stopSeen = new Set<string>();
  const { starts, ends, flags, hashes } = tokens;
  for (let t = 0; t < tokens.count; t++) {
    const start = starts[t]!;
    const end = ends[t]!;
    const known = flags[t]!;
    if (known & PLAIN) {
      nonSymbol++;
      nonSymbolLength += end - start;
      if (known & HAS_LETTER) alpha++;
      // Gopher's rule counts distinct stop words (datatrove: set(words) & STOP_WORDS).
      if (end - start <= 4 && isStopWord(text, start, end - start, hashes[t]!)) stopSeen.add(text.slice(start, end));
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
  }
  return { words: nonSymbol, length: nonSymbolLength, alpha, stop: stopSeen.size };
}
