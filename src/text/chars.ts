import { KERNEL_CLASSES } from './word-kernel-layout.js';

/**
 * Character classes by UTF-16 code unit, for the hot loops of the tokenizer and counters: the
 * word kernel's bits (WHITESPACE; ALNUM, ASCII letters and digits; AT_SIGN, "@": the tokenizer
 * looks for e-mail addresses only in chunks that have one).
 */
export const { WHITESPACE, ALNUM, AT_SIGN } = KERNEL_CLASSES;

export const CHAR_CLASS = new Uint8Array(0x10000);
// Unicode White_Space (what `\s` matches in JavaScript).
for (const c of [9, 10, 11, 12, 13, 32, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) CHAR_CLASS[c] = WHITESPACE;
for (let c = 0x2000; c <= 0x200a; c++) CHAR_CLASS[c] = WHITESPACE;
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = ALNUM;
for (let c = 65; c <= 90; c++) CHAR_CLASS[c] = ALNUM;
for (let c = 97; c <= 122; c++) CHAR_CLASS[c] = ALNUM;
CHAR_CLASS[64] = AT_SIGN;

export const isWhitespace = (c: number): boolean => CHAR_CLASS[c] === WHITESPACE;

/**
 * datatrove's PUNCTUATION, the set Gopher quality uses: a word made only of these is a symbol, not
 * a word. All in the Basic Multilingual Plane.
 */
export const PUNCTUATION = new Uint8Array(0x10000);
for (const ch of '!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»') PUNCTUATION[ch.charCodeAt(0)] = 1;
for (const [from, to] of [[0, 9], [11, 13], [13, 32], [127, 160]] as const) for (let c = from; c < to; c++) PUNCTUATION[c] = 1;

/** The first `n` UTF-16 code units of a text, one fewer where the nth would split a surrogate pair. */
export function firstChars(text: string, n: number): string {
  if (text.length <= n) return text;
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}
