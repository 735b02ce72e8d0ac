/**
 * The JavaScript C4 line pass that src/text/c4-lines.ts replaced with the word kernel's
 * (per-line trimming, word and sentence counts in WebAssembly): the reference the kernel's is held
 * to in test/text/c4-lines.test.ts. Same rules, same order (src/text/c4-lines.ts documents them).
 */
import type { C4LineConfig, C4Lines } from '../../src/text/c4-lines.js';
import { isWhitespace } from '../../src/text/chars.js';
import { forEachLine, hasOtherBreaks } from '../../src/text/lines.js';
import { Spans } from '../../src/text/spans.js';
import { CHUNK_START, tokenize, Tokens } from '../../src/text/tokenizer.js';


const CITATION = /\[\d*]|\[edit]|\[citation needed]/g;
/** The current text's lines, reused from page to page. */
const lines = new Spans();
/** Ends in . ? ! " or ' (C4's terminal punctuation), and not in "...". */
function endsSentence(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  const c = text.charCodeAt(to - 1);
  if (c !== 46 && c !== 63 && c !== 33 && c !== 34 && c !== 39) return false;
  return !(c === 46 && to - from >= 3 && text.charCodeAt(to - 2) === 46 && text.charCodeAt(to - 3) === 46);
}
const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
/** The line rules' phrases, in the order PhraseHits numbers them. */
const PHRASES = ['lorem ipsum', 'javascript', ...POLICY];
const ANY_PHRASE = new RegExp(PHRASES.join('|'), 'i');

/**
 * Where the phrases of the line rules start, in a lower-cased copy of the text: found once per
 * page, then each line only asks whether a position falls inside it. Most pages have none.
 */
class PhraseHits {
  private readonly positions: number[][];
  private readonly next: number[];

  constructor(lower: string, phrases: readonly string[]) {
    this.positions = phrases.map((p) => {
      const at: number[] = [];
      for (let i = lower.indexOf(p); i !== -1; i = lower.indexOf(p, i + 1)) at.push(i);
      return at;
    });
    this.next = phrases.map(() => 0);
  }

  /** Does phrase k start within [from, to)? Lines must be asked about in order. */
  within(k: number, from: number, to: number): boolean {
    const at = this.positions[k]!;
    let i = this.next[k]!;
    while (i < at.length && at[i]! < from) i++;
    this.next[k] = i;
    return i < at.length && at[i]! < to;
  }
}

/**
 * Works on offsets, building a line's string only when a check needs one (citation marks, the
 * phrase checks of a page that mentions a phrase at all), and the kept text only when `keepText`.
 * `tokens`, the text's own tokens when the caller has them, spare the sentence count a second
 * tokenization: tokens never cross a newline, so a line's tokens are those within its span.
 */
export function referenceC4Lines(text: string, config: C4LineConfig, options: { tokens?: Tokens; keepText?: boolean; otherBreaks?: boolean; split?: Spans } = {}): C4Lines {
  const { keepText = true } = options;
  const otherBreaks = options.otherBreaks ?? hasOtherBreaks(text);
  // The information separators end lines (str.splitlines) but not tokens: a token may cross
  // them, so such a text's lines are counted each on its own (a text with no other breaks than
  // "\n" has none; only one with some is searched for them).
  const tokens = options.tokens && !(otherBreaks && /[\x1c-\x1e]/.test(text)) ? options.tokens : undefined;
  const removed = { long_word: 0, no_terminal_punct: 0, too_few_words: 0, lorem_ipsum: 0, javascript: 0, policy: 0 };
  const kept: string[] = [];
  let sentences = 0;
  let loremIpsum = false;
  let curlyBracket = false;
  // One case-insensitive scan says whether the page has any phrase at all; only then are they
  // located, in a lower-cased copy (toLowerCase keeps offsets for nearly all text; where it does
  // not, lines are lower-cased one by one).
  const searchPhrases = ANY_PHRASE.test(text);
  const lower = searchPhrases ? text.toLowerCase() : '';
  const hits = searchPhrases && lower.length === text.length ? new PhraseHits(lower, PHRASES) : undefined;
  const curlies = text.includes('{') ? new CharHits(text, '{') : undefined;
  const brackets = config.remove_citations && text.includes('[') ? new CharHits(text, '[') : undefined;
  let next = 0; // first token not before the current line (with `tokens`)
  // Lines as the reference's str.splitlines() (src/text/lines.ts).
  lines.clear();
  forEachLine(text, (start, end) => lines.push(start, end), otherBreaks, options.split);
  for (let l = 0; l < lines.count; l++) {
    let a = lines.starts[l]!;
    let b = lines.ends[l]!;
    while (a < b && isWhitespace(text.charCodeAt(a))) a++;
    while (b > a && isWhitespace(text.charCodeAt(b - 1))) b--;
    if (config.max_word_length > 0 && hasLongWord(text, a, b, config.max_word_length)) {
      removed.long_word++;
      continue;
    }
    // A line changed by citation removal is handled as a string from here on.
    let line: string | undefined;
    if (brackets?.within(a, b)) {
      const cleaned = text.slice(a, b).replace(CITATION, '');
      if (cleaned.length !== b - a) line = cleaned;
    }
    if (config.terminal_punctuation && !endsSentence(line ?? text, line ? 0 : a, line ? line.length : b)) {
      removed.no_terminal_punct++;
      continue;
    }
    // The line's tokens, when the caller gave the text's: they count its words (chunks) and sentences.
    let first = 0;
    let last = 0;
    if (tokens) {
      first = next;
      while (first < tokens.count && tokens.starts[first]! < a) first++;
      last = first;
      while (last < tokens.count && tokens.starts[last]! < b) last++;
      next = last;
    }
    const words = tokens ? countChunks(tokens, first, last, config.min_words_per_line) : countWords(text, a, b, config.min_words_per_line);
    if (words < config.min_words_per_line) {
      removed.too_few_words++;
      continue;
    }
    if (searchPhrases) {
      // A line changed by citation removal is searched as a string; others by offsets.
      const lowered = line !== undefined || !hits ? (line ?? text.slice(a, b)).toLowerCase() : undefined;
      const has = (k: number, phrase: string) => (lowered !== undefined ? lowered.includes(phrase) : hits!.within(k, a, b - phrase.length + 1));
      if (has(0, 'lorem ipsum')) {
        loremIpsum = true;
        removed.lorem_ipsum++;
        continue;
      }
      if (config.javascript && has(1, 'javascript')) {
        removed.javascript++;
        continue;
      }
      if (config.policy && POLICY.some((p, k) => has(2 + k, p))) {
        if (curlies && (line ? line.includes('{') : curlies.within(a, b))) curlyBracket = true;
        removed.policy++;
        continue;
      }
    }
    if (curlies && (line ? line.includes('{') : curlies.within(a, b))) curlyBracket = true;
    if (tokens && line === undefined) sentences += countSentencesIn(tokens, first, last);
    else sentences += referenceCountSentences(line ?? text.slice(a, b));
    if (keepText) kept.push(line ?? text.slice(a, b));
  }
  return { text: keepText ? kept.join('\n').trim() : text, sentences, loremIpsum, curlyBracket, removed };
}

/** Whether a character occurs within spans of the text asked about in order: one native scan per hit. */
class CharHits {
  /** The next occurrence at or after the last span asked about; Infinity once there is none. */
  private at = -1;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  within(from: number, to: number): boolean {
    if (this.at < from) {
      const next = this.text.indexOf(this.char, from);
      this.at = next === -1 ? Infinity : next;
    }
    return this.at < to;
  }
}

/** Whitespace-separated words (Python's str.split()) of text[from, to), counted up to `enough`. */
function countWords(text: string, from: number, to: number, enough: number): number {
  let words = 0;
  let inWord = false;
  for (let i = from; i < to && words < enough; i++) {
    const space = isWhitespace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Whitespace-separated words among tokens [from, to), counted up to `enough`: the tokens that start a chunk. */
function countChunks(tokens: Tokens, from: number, to: number, enough: number): number {
  let words = 0;
  for (let t = from; t < to && words < enough; t++) if (tokens.flags[t]! & CHUNK_START) words++;
  return words;
}

/**
 * Whether text[from, to) has a whitespace-separated word longer than `limit`. Such a word covers
 * one of every `limit + 1` positions, so only those are looked at, and the word around each
 * measured: long prose lines cost a few characters per checkpoint instead of a full scan.
 */
function hasLongWord(text: string, from: number, to: number, limit: number): boolean {
  const stride = limit + 1;
  for (let p = from + limit; p < to; p += stride) {
    if (isWhitespace(text.charCodeAt(p))) continue;
    let start = p;
    while (start > from && !isWhitespace(text.charCodeAt(start - 1))) start--;
    let end = p + 1;
    while (end < to && !isWhitespace(text.charCodeAt(end))) end++;
    if (end - start > limit) return true;
  }
  return false;
}

/** spaCy's default sentence-final characters (Sentencizer.default_punct_chars), the BMP ones. */
const SENTENCE_END = new Uint8Array(0x10000);
for (const ch of '!.?։؟۔܀܁܂߹।॥၊။።፧፨᙮᜵᜶᠃᠉᥄᥅᪨᪩᪪᪫᭚᭛᭞᭟᰻᰼᱾᱿‼‽⁇⁈⁉⸮⸼꓿꘎꘏꛳꛷꡶꡷꣎꣏꤯꧈꧉꩝꩞꩟꫰꫱꯫﹒﹖﹗！．？｡。') SENTENCE_END[ch.charCodeAt(0)] = 1;
const PUNCT = /\p{P}/u;

/**
 * Sentences as spaCy's sentencizer finds them: a sentence ends at a sentence-final character, and
 * the next token that is not punctuation starts a new one.
 */
const scratch = new Tokens('', 256);

export function referenceCountSentences(text: string): number {
  const tokens = tokenize(text, scratch);
  return countSentencesIn(tokens, 0, tokens.count);
}

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
