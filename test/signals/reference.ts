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
