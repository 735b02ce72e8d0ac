import { CHAR_CLASS, WHITESPACE } from '../text/chars.js';

/** Whitespace-delimited tokens (the basic length rules; Gopher's rules count tokenizer words). */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = CHAR_CLASS[text.charCodeAt(i)] === WHITESPACE;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/** Unicode code points: a surrogate pair counts once. */
export function countChars(text: string): number {
  if (!HIGH_SURROGATE.test(text)) return text.length; // the common case, scanned natively
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

export function countLines(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
