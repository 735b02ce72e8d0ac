import { wordKernel, type LineRepeats } from '../text/word-kernel-host.js';

/** Small measurements shared by several rule families, defined as Python measures them. */

const SURROGATE = /[\uD800-\uDFFF]/;
export const hasSurrogates = (s: string): boolean => SURROGATE.test(s);

/** Python's len(): code points. */
export function codePoints(s: string): number {
  let n = s.length;
  if (!SURROGATE.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Non-overlapping occurrences, as Python's str.count(). */
export function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

export type { LineRepeats } from '../text/word-kernel-host.js';

/**
 * Repeated lines, computed once per document for both rule families that need them: Gopher's
 * (lines split on runs of newlines) and FineWeb's (non-blank lines), in the word kernel: lines of
 * text.split("\n"), datatrove's find_duplicates among the non-empty ones and among those with a
 * character other than whitespace, characters counted in code points when `astral`.
 */
export const lineRepeats = (text: string, astral: boolean): LineRepeats => wordKernel().lineRepeats(text, astral);

/** a / b, or null when b is 0: where the reference implementation would divide by zero. */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
