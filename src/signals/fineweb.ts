import { defineFamily, type DocView } from './signal.js';
import { codePoints, ratio, Spans, splitLines } from './text-stats.js';

/**
 * FineWeb's own quality rules (Penedo et al. 2024, section 3.4; datatrove's FineWebQualityFilter),
 * measured on the cleaned text (after C4's line cleanup, the stage below), as FineWeb ran them:
 *  - fraction of lines ending in . ' " ! ?;
 *  - fraction of lines of 30 characters or fewer;
 *  - characters in duplicated non-empty lines over all characters but newlines;
 *  - newlines per word ("list ratio").
 */
const SHORT_LINE = 30;
const lines = new Spans();

/** Ends in . ' " ! ? (the FineWeb rule's stop characters). */
const endsWithStop = (c: number): boolean => c === 46 || c === 39 || c === 34 || c === 33 || c === 63;

export interface FineWebStats {
  linePunctRatio: number | null;
  shortLineRatio: number | null;
  charDupRatio: number | null;
  listRatio: number | null;
}

export function fineweb(doc: DocView): FineWebStats {
  const { text } = doc;
  splitLines(text, lines);
  const { astral } = doc;
  let punct = 0;
  let short = 0;
  for (let i = 0; i < lines.count; i++) {
    const start = lines.starts[i]!;
    const end = lines.ends[i]!;
    if (end > start && endsWithStop(text.charCodeAt(end - 1))) punct++;
    if ((astral ? codePoints(text.slice(start, end)) : end - start) <= SHORT_LINE) short++;
  }
  const newlines = lines.count - 1;
  return {
    linePunctRatio: ratio(punct, lines.count),
    shortLineRatio: ratio(short, lines.count),
    charDupRatio: ratio(doc.lineRepeats.amongNonBlank.chars, doc.chars - newlines),
    listRatio: ratio(newlines, doc.tokens.count),
  };
}

export const finewebFamily = defineFamily({
  name: 'fineweb',
  stage: 'cleaned',
  version: 1,
  description: 'FineWeb quality heuristics (Penedo et al. 2024)',
  signals: [
    { name: 'fineweb_line_punct_ratio', type: 'DOUBLE', description: "fraction of lines ending in . ' \" ! ?" },
    { name: 'fineweb_short_line_ratio', type: 'DOUBLE', description: 'fraction of lines of 30 characters or fewer' },
    { name: 'fineweb_char_dup_ratio', type: 'DOUBLE', description: 'characters in duplicated lines / characters but newlines' },
    { name: 'fineweb_list_ratio', type: 'DOUBLE', description: 'newlines per word' },
  ],
  measure(doc, out) {
    const s = fineweb(doc);
    out.fineweb_line_punct_ratio(s.linePunctRatio);
    out.fineweb_short_line_ratio(s.shortLineRatio);
    out.fineweb_char_dup_ratio(s.charDupRatio);
    out.fineweb_list_ratio(s.listRatio);
  },
});
