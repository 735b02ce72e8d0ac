import { TERMINAL_PUNCTUATION } from '../../src/text/terminal-punctuation.js';
/**
 * Straightforward re-statements of the published definitions, line for line as datatrove writes
 * them (strings, sets and counters, no shortcuts), for checking winnow's fast implementations.
 * Lengths are Python's len(): code points.
 */
const len = (s: string): number => [...s].length;

export function findDuplicates(items: string[]): [number, number] {
  const unique = new Set<string>();
  let chars = 0;
  let elements = 0;
  for (const x of items) {
    if (unique.has(x)) {
      chars += len(x);
      elements++;
    } else unique.add(x);
  }
  return [elements, chars];
}

export function findTopDuplicate(ngrams: string[]): number {
  const counter = new Map<string, number>();
  for (const g of ngrams) counter.set(g, (counter.get(g) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const entry of counter) if (!best || entry[1] > best[1]) best = entry;
  return len(best![0]) * best![1];
}

export function findAllDuplicate(words: string[], n: number): number {
  const unique = new Set<string>();
  let repeated = 0;
  let idx = 0;
  while (idx < words.length - n + 1) {
    const gram = words.slice(idx, idx + n).join('\u0000'); // identity of the word sequence
    if (unique.has(gram)) {
      repeated += len(words.slice(idx, idx + n).join(''));
      idx += n;
    } else {
      unique.add(gram);
      idx++;
    }
  }
  return repeated;
}

export function gopherRepetitionReference(text: string, words: string[]) {
  const paragraphs = text.trim().split(/\n{2,}/);
  const [pe, pc] = findDuplicates(paragraphs);
  const lines = text.split(/\n+/);
  const [le, lc] = findDuplicates(lines);
  const chars = len(text);
  const top: Record<number, number> = {};
  for (const n of [2, 3, 4]) {
    const grams = words.length >= n ? words.slice(0, words.length - n + 1).map((_, i) => words.slice(i, i + n).join(' ')) : [];
    top[n] = grams.length === 0 ? 0 : findTopDuplicate(grams) / chars;
  }
  const dup: Record<number, number> = {};
  for (const n of [5, 6, 7, 8, 9, 10]) dup[n] = findAllDuplicate(words, n) / chars;
  return { dupParaFrac: pe / paragraphs.length, dupParaCharFrac: pc / chars, dupLineFrac: le / lines.length, dupLineCharFrac: lc / chars, top, dup };
}

/** datatrove's PUNCTUATION set, written out once more for the reference. */
const PUNCT = new Set([
  ...'!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»',
  ...[[0, 9], [11, 13], [13, 32], [127, 160]].flatMap(([a, b]) => Array.from({ length: b! - a! }, (_, i) => String.fromCharCode(a! + i))),
]);
const count = (text: string, needle: string) => text.split(needle).length - 1;

export function gopherQualityReference(text: string, words: string[]) {
  const nonSymbol = words.filter((w) => [...w].some((ch) => !PUNCT.has(ch)));
  const lines = splitlines(text);
  const mean = nonSymbol.length ? nonSymbol.reduce((a, w) => a + len(w), 0) / nonSymbol.length : null;
  const div = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    words: nonSymbol.length,
    meanWordLength: mean,
    hashRatio: div(count(text, '#'), words.length),
    ellipsisRatio: div(count(text, '...') + count(text, '…'), words.length),
    bulletLinesRatio: div(lines.filter((l) => l.trimStart().startsWith('•') || l.trimStart().startsWith('-')).length, lines.length),
    ellipsisLinesRatio: div(lines.filter((l) => l.trimEnd().endsWith('...') || l.trimEnd().endsWith('…')).length, lines.length),
    alphaWordsRatio: div(words.filter((w) => /\p{L}/u.test(w)).length, words.length),
    stopWords: new Set(words.filter((w) => ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'].includes(w))).size,
  };
}

export function finewebReference(text: string, words: string[], definition: 'fineweb' | 'fineweb-2' = 'fineweb') {
  const div = (a: number, b: number) => (b === 0 ? null : a / b);
  const all = text.split('\n');
  const nonEmpty = all.filter((l) => l.trim() !== '');
  // FineWeb-2 (datatrove since December 2024): blank lines dropped, any TERMINAL_PUNCTUATION ends a line.
  const lines = definition === 'fineweb' ? all : nonEmpty;
  if (lines.length === 0) return { linePunctRatio: null, shortLineRatio: null, charDupRatio: null, listRatio: null };
  const stops = definition === 'fineweb' ? ['.', "'", '"', '!', '?'] : TERMINAL;
  return {
    linePunctRatio: div(lines.filter((l) => stops.some((c) => l.endsWith(c))).length, lines.length),
    shortLineRatio: div(lines.filter((l) => len(l) <= 30).length, lines.length),
    charDupRatio: div(findDuplicates(nonEmpty)[1], len(text.replaceAll('\n', ''))),
    listRatio: div(count(text, '\n'), words.length),
  };
}

/** Python's str.splitlines(), written out once more for the reference. */
export function splitlines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/);
  // A break at the very end starts no further line; an empty text has none.
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * datatrove's TERMINAL_PUNCTUATION: winnow's table of it (159 characters, copied from
 * src/datatrove/utils/text.py); test/signals/quality-families.test.ts checks it against characters
 * written out from the Python source.
 */
export const TERMINAL = [...TERMINAL_PUNCTUATION].map((c) => String.fromCodePoint(c));
