import type { Spans } from './spans.js';

/**
 * Lines as Python's str.splitlines() makes them, which the reference's Gopher quality and C4
 * filters use: a line ends at "\n", "\r", "\r\n" (one break), "\v", "\f", "\x1c", "\x1d", "\x1e",
 * NEL (U+0085), LS (U+2028) or PS (U+2029); an empty text has no lines, and a break at the very
 * end starts no further (empty) line.
 */
const OTHER_BREAKS = /[\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

const isBreak = (c: number): boolean => (c >= 0x0a && c <= 0x0d) || c === 0x1c || c === 0x1d || c === 0x1e || c === 0x85 || c === 0x2028 || c === 0x2029;

/** Whether the text has a line break other than "\n" (the information separators among them). */
export const hasOtherBreaks = (text: string): boolean => OTHER_BREAKS.test(text);

/**
 * Calls `line` with each line's [start, end) (its break excluded), in order; returns how many
 * there were. `otherBreaks`: `hasOtherBreaks(text)`, when the caller knows it already (a scan of
 * the text each time it is asked). `split`: the text's lines of text.split("\n"), when the caller
 * has them (`Doc.lines`): without other breaks they are these lines, but for the empty one after
 * a final "\n" (or of an empty text), which str.splitlines() does not make.
 */
export function forEachLine(text: string, line: (start: number, end: number) => void, otherBreaks = hasOtherBreaks(text), split?: Spans): number {
  let count = 0;
  let start = 0;
  if (!otherBreaks && split) {
    count = split.count;
    if (count > 0 && split.starts[count - 1] === text.length) count--;
    for (let k = 0; k < count; k++) line(split.starts[k]!, split.ends[k]!);
    return count;
  }
  if (!otherBreaks) {
    // Nearly every text: "\n" alone, found by indexOf (a native scan).
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
      line(start, i);
      count++;
      start = i + 1;
    }
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!isBreak(c)) continue;
      line(start, i);
      count++;
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
  }
  if (start < text.length) {
    line(start, text.length);
    count++;
  }
  return count;
}
