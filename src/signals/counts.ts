import type { Signal } from './signal.js';

/** Unicode White_Space characters (what `\s` matches in JavaScript), as char codes. */
export function isWhitespace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0x85
  );
}

/** Whitespace-delimited tokens. The rule-based stage adds a linguistic word tokenizer. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isWhitespace(text.charCodeAt(i));
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

export const wordCount: Signal = {
  name: 'word_count',
  type: 'INTEGER',
  description: 'whitespace-separated tokens in the normalized text',
  compute: (doc) => countWords(doc.text),
};

export const charCount: Signal = {
  name: 'char_count',
  type: 'INTEGER',
  description: 'Unicode code points in the normalized text',
  compute: (doc) => countChars(doc.text),
};

export const lineCount: Signal = {
  name: 'line_count',
  type: 'INTEGER',
  description: 'lines ("\\n"-separated) in the normalized text; 0 for empty text',
  compute: (doc) => countLines(doc.text),
};

export const byteCount: Signal = {
  name: 'byte_count',
  type: 'INTEGER',
  description: 'UTF-8 bytes of the normalized text',
  compute: (doc) => Buffer.byteLength(doc.text, 'utf8'),
};
