import { isWhitespace } from '../../src/text/chars.js';
import { Spans } from '../../src/text/spans.js';
import { codePoints, type LineRepeats } from '../../src/signals/text-stats.js';
import { SubstringIds } from './substring-ids.js';

// The JavaScript that measured repeated lines and paragraphs before the word kernel did
// (src/text/word-kernel.as.ts lineRepeats, paragraphRepeats): kept as the reference the kernel
// must match exactly (test/text/word-kernel.test.ts).

/** Splits text at every "\n", as Python's str.split("\n"): an empty text is one empty line. */
export function splitLines(text: string, out: Spans): Spans {
  out.clear();
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(start, i);
    start = i + 1;
  }
  out.push(start, text.length);
  return out;
}

/**
 * Splits text[from, to) at runs of at least `minRun` newlines, as Python's re.split("\n{k,}")
 * does: a run at either end leaves an empty span there.
 */
export function splitAtNewlines(text: string, from: number, to: number, minRun: number, out: Spans): Spans {
  out.clear();
  let start = from;
  let i = text.indexOf('\n', from); // indexOf scans natively, far faster than a loop here
  while (i !== -1 && i < to) {
    let j = i;
    while (j < to && text.charCodeAt(j) === 10) j++;
    if (j - i >= minRun) {
      out.push(start, i);
      start = j;
    }
    i = text.indexOf('\n', j);
  }
  out.push(start, to);
  return out;
}

const spanIds = new SubstringIds();
/** Spans per length, for lengths below its size; longer spans are always compared. */
const lengthCounts = new Int32Array(4096);

/**
 * datatrove's find_duplicates over spans of the text: repeated elements and their characters.
 * A span whose length no other span has cannot repeat, nor be repeated: most lines and
 * paragraphs of prose are never hashed.
 */
export function duplicateSpans(text: string, spans: Spans, astral: boolean, include: (i: number) => boolean = () => true): { elements: number; chars: number } {
  const { starts, ends } = spans;
  const cap = lengthCounts.length;
  for (let i = 0; i < spans.count; i++) {
    const length = ends[i]! - starts[i]!;
    if (length < cap && include(i)) lengthCounts[length]!++;
  }
  spanIds.reset(text, spans.count);
  let elements = 0;
  let chars = 0;
  for (let i = 0; i < spans.count; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    const length = end - start;
    if (length < cap && lengthCounts[length]! < 2) continue;
    if (!include(i)) continue;
    const before = spanIds.size;
    if (spanIds.idFor(start, end) < before) {
      elements++;
      chars += astral ? codePoints(text.slice(start, end)) : length;
    }
  }
  for (let i = 0; i < spans.count; i++) {
    const length = ends[i]! - starts[i]!;
    if (length < cap) lengthCounts[length] = 0;
  }
  return { elements, chars };
}

const allLines = new Spans();
let lineFlags = new Uint8Array(256); // 1: empty, 2: blank (whitespace only, not empty)

/**
 * Repeated lines, computed once per document for both rule families that need them: Gopher's
 * (lines split on runs of newlines) and FineWeb's (non-blank lines). Normalized text has no
 * whitespace-only lines, and then the two are the same computation.
 */
export function referenceLineRepeats(text: string, astral: boolean): LineRepeats {
  splitLines(text, allLines);
  if (lineFlags.length < allLines.count) lineFlags = new Uint8Array(2 * allLines.count);
  const flags = lineFlags;
  let nonEmpty = 0;
  let blanks = 0;
  for (let i = 0; i < allLines.count; i++) {
    const start = allLines.starts[i]!;
    const end = allLines.ends[i]!;
    let k = start;
    while (k < end && isWhitespace(text.charCodeAt(k))) k++;
    flags[i] = start === end ? 1 : k === end ? 2 : 0;
    if (start !== end) nonEmpty++;
    if (flags[i] === 2) blanks++;
  }
  const amongNonEmpty = duplicateSpans(text, allLines, astral, (i) => flags[i] !== 1);
  const amongNonBlank = blanks === 0 ? amongNonEmpty : duplicateSpans(text, allLines, astral, (i) => flags[i] === 0);
  return { lines: allLines.count, nonEmpty, amongNonEmpty, amongNonBlank };
}

