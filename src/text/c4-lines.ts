import { forEachLine, hasOtherBreaks } from './lines.js';
import { Spans } from './spans.js';
import { LineMeasures, PhraseTable, wordKernel } from './word-kernel-host.js';

/**
 * C4's line-level cleanup (Raffel et al. 2020, section 2.2; datatrove's C4QualityFilter, the
 * reference for the order of the checks). Each line, stripped, is dropped when, in this order:
 *  - a whitespace-separated word is longer than `max_word_length` (1000);
 *  - after removing Wikipedia citation marks ("[1]", "[edit]", "[citation needed]"), it does not
 *    end in terminal punctuation (. ? ! " ') or ends in "...", when `terminal_punctuation` is on;
 *  - it has fewer than `min_words_per_line` whitespace-separated words (3);
 *  - it contains "lorem ipsum" (C4 drops the whole page: see `loremIpsum`);
 *  - it contains "javascript";
 *  - it contains a cookie or terms-of-use phrase.
 * A kept line with "{" marks the page (C4 drops pages with curly brackets: see `curlyBracket`).
 * Sentences of the kept lines are counted as spaCy's sentencizer counts them.
 */
export interface C4LineConfig {
  remove_citations: boolean;
  terminal_punctuation: boolean;
  min_words_per_line: number;
  max_word_length: number;
  javascript: boolean;
  policy: boolean;
}

export interface C4Lines {
  /** The kept lines joined by "\n" (the input text, when the caller did not ask for them). */
  text: string;
  sentences: number;
  loremIpsum: boolean;
  curlyBracket: boolean;
  removed: { long_word: number; no_terminal_punct: number; too_few_words: number; lorem_ipsum: number; javascript: number; policy: number };
}

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
/** Whether the page has any phrase at all, as /lorem ipsum|javascript|.../i would say (searched in the word kernel). */
const ANY_PHRASE = new PhraseTable(PHRASES);

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
 * Measures lines for the pass: each of lines[0, count) of `text` trimmed of whitespace, its
 * whitespace-separated words (-1 when one is longer than `maxWord`; 0: no limit) and, when it has
 * `minWords` or more, its sentences as spaCy's sentencizer counts them (else 0), into `out`.
 * The word kernel's (`WordKernel.c4Lines`) unless a caller plugs in another: the tests hold the
 * kernel to the JavaScript measurer it replaced (test/signals/reference-c4-lines.ts) under the
 * same rules around it.
 */
export type LineMeasurer = (text: string, lines: Spans, count: number, maxWord: number, minWords: number, out: LineMeasures) => LineMeasures;

const kernelMeasurer: LineMeasurer = (text, spans, count, maxWord, minWords, out) => wordKernel().c4Lines(text, spans, count, maxWord, minWords, out);

/** Information separators: line breaks to str.splitlines() but not to the tokenizer. */
const SEPARATORS = /[\x1c-\x1e]/;
/** The current text's per-line measures, reused from page to page. */
const measures = new LineMeasures();

/**
 * Works on offsets, building a line's string only when a check needs one (citation marks, the
 * phrase checks of a page that mentions a phrase at all), and the kept text only when `keepText`.
 * Each line's trimming and its word and sentence counts come from `measure`: the word kernel's,
 * over the text's tokens (a line's tokens are those within its span: tokens never cross a
 * newline), unless the caller gives another.
 */
export function c4Lines(
  text: string,
  config: C4LineConfig,
  options: { keepText?: boolean; otherBreaks?: boolean; split?: Spans; measure?: LineMeasurer } = {},
): C4Lines {
  const { keepText = true, measure = kernelMeasurer } = options;
  const otherBreaks = options.otherBreaks ?? hasOtherBreaks(text);
  const removed = { long_word: 0, no_terminal_punct: 0, too_few_words: 0, lorem_ipsum: 0, javascript: 0, policy: 0 };
  const kept: string[] = [];
  let sentences = 0;
  let loremIpsum = false;
  let curlyBracket = false;
  const kernel = wordKernel();
  // One case-insensitive scan says whether the page has any phrase at all; only then are they
  // located, in a lower-cased copy (toLowerCase keeps offsets for nearly all text; where it does
  // not, lines are lower-cased one by one).
  const searchPhrases = kernel.anyPhrase(text, ANY_PHRASE);
  const lower = searchPhrases ? text.toLowerCase() : '';
  const hits = searchPhrases && lower.length === text.length ? new PhraseHits(lower, PHRASES) : undefined;
  const curlies = text.includes('{') ? new CharHits(text, '{') : undefined;
  const brackets = config.remove_citations && text.includes('[') ? new CharHits(text, '[') : undefined;
  const minWords = config.min_words_per_line;
  // Lines as the reference's str.splitlines() (src/text/lines.ts): the caller's split at "\n" when
  // the text has no other break, less the empty line after a final "\n" (or of an empty text).
  let spans = lines;
  let count: number;
  if (!otherBreaks && options.split) {
    spans = options.split;
    count = spans.count;
    if (count > 0 && spans.starts[count - 1] === text.length) count--;
  } else {
    lines.clear();
    count = forEachLine(text, (start, end) => lines.push(start, end), otherBreaks);
  }
  // A token may cross an information separator: such a text's lines are measured each on its own.
  const m = otherBreaks && SEPARATORS.test(text) ? measureEach(text, spans, count, config.max_word_length, minWords, measure) : measure(text, spans, count, config.max_word_length, minWords, measures);
  for (let l = 0; l < m.count; l++) {
    const a = m.starts[l]!;
    const b = m.ends[l]!;
    const words = m.words[l]!;
    if (words < 0) {
      removed.long_word++;
      continue;
    }
    let lineSentences = m.sentences[l]!;
    // A line changed by citation removal is handled as a string from here on.
    let line: string | undefined;
    if (brackets?.within(a, b)) {
      const cleaned = text.slice(a, b).replace(CITATION, '');
      if (cleaned.length !== b - a) {
        line = cleaned;
        // Words are counted on the line as it was (datatrove splits it before removing the
        // marks); its sentences on the cleaned string.
        lineSentences = measureLine(cleaned, 0, 0, measure).sentences[0]!;
      }
    }
    if (config.terminal_punctuation && !endsSentence(line ?? text, line ? 0 : a, line ? line.length : b)) {
      removed.no_terminal_punct++;
      continue;
    }
    if (words < minWords) {
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
    sentences += lineSentences;
    if (keepText) kept.push(line ?? text.slice(a, b));
  }
  return { text: keepText ? kept.join('\n').trim() : text, sentences, loremIpsum, curlyBracket, removed };
}

const whole = new Spans();
const own = new LineMeasures();

/** The measures of `line` as a text of one line (the kernel's tokens are then its own). */
function measureLine(line: string, maxWord: number, minWords: number, measure: LineMeasurer): LineMeasures {
  whole.clear();
  whole.push(0, line.length);
  return measure(line, whole, 1, maxWord, minWords, own);
}

/** The measures of each line of `text`, each tokenized on its own, into `measures`. */
function measureEach(text: string, spans: Spans, count: number, maxWord: number, minWords: number, measure: LineMeasurer): LineMeasures {
  measures.clear();
  measures.reserve(count);
  for (let l = 0; l < count; l++) {
    const from = spans.starts[l]!;
    const r = measureLine(text.slice(from, spans.ends[l]!), maxWord, minWords, measure);
    measures.starts[l] = from + r.starts[0]!;
    measures.ends[l] = from + r.ends[0]!;
    measures.words[l] = r.words[0]!;
    measures.sentences[l] = r.sentences[0]!;
  }
  measures.count = count;
  return measures;
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

/**
 * Sentences of `text` as spaCy's sentencizer finds them: a sentence ends at a sentence-final
 * character, and the next token that is not punctuation starts a new one.
 */
export function countSentences(text: string): number {
  return measureLine(text, 0, 0, kernelMeasurer).sentences[0]!;
}
