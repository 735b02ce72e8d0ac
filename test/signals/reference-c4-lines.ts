/**
 * The JavaScript per-line measures of C4's line pass (trimming, words, sentences) that the word
 * kernel's replaced (`WordKernel.c4Lines`): plugged into the real pass (src/text/c4-lines.ts,
 * `measure`), it is the reference test/text/c4-lines.test.ts holds the kernel to, with the same
 * rules around both.
 */
import type { LineMeasurer } from '../../src/text/c4-lines.js';
import { isWhitespace } from '../../src/text/chars.js';
import { tokenize, Tokens } from '../../src/text/tokenizer.js';

const scratch = new Tokens('', 256);

/**
 * Each line trimmed of whitespace; its words as Python's str.split() counts them, or -1 when one
 * is longer than `maxWord` (0: no limit); with `minWords` words or more, its sentences over the
 * text's own tokens (they never cross a line), else 0.
 */
export const referenceLineMeasurer: LineMeasurer = (text, lines, count, maxWord, minWords, out) => {
  const tokens = tokenize(text, scratch);
  out.clear();
  out.reserve(count);
  let next = 0; // first token not before the current line
  for (let l = 0; l < count; l++) {
    let a = lines.starts[l]!;
    let b = lines.ends[l]!;
    while (a < b && isWhitespace(text.charCodeAt(a))) a++;
    while (b > a && isWhitespace(text.charCodeAt(b - 1))) b--;
    let first = next;
    while (first < tokens.count && tokens.starts[first]! < a) first++;
    let last = first;
    while (last < tokens.count && tokens.starts[last]! < b) last++;
    next = last;
    const long = maxWord > 0 && hasLongWord(text, a, b, maxWord);
    const words = long ? -1 : referenceCountWords(text, a, b);
    out.starts[l] = a;
    out.ends[l] = b;
    out.words[l] = words;
    out.sentences[l] = !long && words >= minWords ? countSentencesIn(tokens, first, last) : 0;
  }
  out.count = count;
  return out;
};

/**
 * Whitespace-separated words (Python's str.split()) of text[from, to), whitespace as chars.ts
 * says: the JavaScript loop the word kernel's counts replaced (C4's per line, core's per text).
 */
export function referenceCountWords(text: string, from = 0, to = text.length): number {
  let words = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const space = isWhitespace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Whether text[from, to) has a whitespace-separated word longer than `limit`: every word measured. */
function hasLongWord(text: string, from: number, to: number, limit: number): boolean {
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && !isWhitespace(text.charCodeAt(i))) continue;
    if (i - start > limit) return true;
    start = i + 1;
  }
  return false;
}

/** spaCy's default sentence-final characters (Sentencizer.default_punct_chars), the BMP ones. */
export const SENTENCE_FINAL = [...'!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？｡。'];
const SENTENCE_END = new Uint8Array(0x10000);
for (const ch of SENTENCE_FINAL) SENTENCE_END[ch.charCodeAt(0)] = 1;
const PUNCT = /\p{P}/u;

/**
 * Sentences among tokens [from, to) as spaCy's sentencizer finds them: a sentence ends at a
 * sentence-final character, and the next token that is not punctuation starts a new one.
 */
function countSentencesIn(tokens: Tokens, from: number, to: number): number {
  if (to <= from) return 0;
  const { text } = tokens;
  let sentences = 1;
  let seenEnd = false;
  for (let t = from; t < to; t++) {
    const start = tokens.starts[t]!;
    const end = tokens.ends[t]!;
    const ends = end - start === 1 && SENTENCE_END[text.charCodeAt(start)] === 1;
    if (seenEnd && !ends && !isPunctuation(text, start, end)) {
      sentences++;
      seenEnd = false;
    } else if (ends) seenEnd = true;
  }
  return sentences;
}

function isPunctuation(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return false;
    if (!PUNCT.test(text[i]!)) return false;
  }
  return true;
}
