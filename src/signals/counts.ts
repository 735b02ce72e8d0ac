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
