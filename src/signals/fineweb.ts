import type { FinewebDefinition } from '../config/pipeline.js';
import { TERMINAL_PUNCTUATION } from '../text/terminal-punctuation.js';
import { isWhitespace } from '../text/chars.js';
import { defineFamily, type DocView } from './signal.js';
import { codePoints, ratio } from './text-stats.js';

/**
 * FineWeb's own quality rules (Penedo et al. 2024, section 3.4; datatrove's FineWebQualityFilter),
 * measured on the cleaned text (after C4's line cleanup, the stage below), as FineWeb ran them:
 *  - fraction of lines ending in a stop character;
 *  - fraction of lines of 30 characters or fewer;
 *  - characters in duplicated non-empty lines over all characters but newlines;
 *  - newlines per word ("list ratio").
 * Two definitions of the lines (`signals.fineweb.definition`, docs/rules.md):
 *  - `fineweb` (the default): as the published FineWeb data was made (datatrove until December
 *    2024): every line of text.split("\n") counts, blank ones included, and the stop characters
 *    are . ' " ! ? alone;
 *  - `fineweb-2`: as datatrove filters since (FineWeb-2): blank lines are left out of the first
 *    two ratios, and a line ends in punctuation when its last character is one of datatrove's
 *    TERMINAL_PUNCTUATION (sentence ends of every script, quotes not among them); a text with no
 *    non-blank line has no ratios (the reference drops it as "empty"; here the rules fail on the
 *    missing signal). Its rule set is rules/fineweb-2.yaml (strict inequalities, as there).
 */
const SHORT_LINE = 30;

/** Ends in . ' " ! ? (the published FineWeb's stop characters). */
const endsWithStop = (c: number): boolean => c === 46 || c === 39 || c === 34 || c === 33 || c === 63;

export interface FineWebStats {
  linePunctRatio: number | null;
  shortLineRatio: number | null;
  charDupRatio: number | null;
  listRatio: number | null;
}

/** The last code point of text[start, end) (a surrogate pair read as one). */
function lastCodePoint(text: string, start: number, end: number): number {
  const c = text.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end - 2 >= start) {
    const h = text.charCodeAt(end - 2);
    if (h >= 0xd800 && h <= 0xdbff) return (h - 0xd800) * 0x400 + (c - 0xdc00) + 0x10000;
  }
  return c;
}

export function fineweb(doc: DocView, definition: FinewebDefinition = 'fineweb'): FineWebStats {
  const { text, lines } = doc;
  const { astral } = doc;
  const v2 = definition === 'fineweb-2';
  let counted = 0;
  let punct = 0;
  let short = 0;
  for (let i = 0; i < lines.count; i++) {
    const start = lines.starts[i]!;
    const end = lines.ends[i]!;
    if (v2) {
      let k = start;
      while (k < end && isWhitespace(text.charCodeAt(k))) k++;
      if (k === end) continue; // blank: not a line here
      if (TERMINAL_PUNCTUATION.has(lastCodePoint(text, start, end))) punct++;
    } else if (end > start && endsWithStop(text.charCodeAt(end - 1))) punct++;
    counted++;
    if ((astral ? codePoints(text.slice(start, end)) : end - start) <= SHORT_LINE) short++;
  }
  const newlines = lines.count - 1;
  if (v2 && counted === 0) return { linePunctRatio: null, shortLineRatio: null, charDupRatio: null, listRatio: null };
  return {
    linePunctRatio: ratio(punct, counted),
    shortLineRatio: ratio(short, counted),
    charDupRatio: ratio(doc.lineRepeats.amongNonBlank.chars, doc.chars - newlines),
    listRatio: ratio(newlines, doc.tokenCount),
  };
}

/** The FineWeb family with one definition of its lines (the settings are part of annotate's fingerprint). */
export const finewebFamily = (definition: FinewebDefinition) =>
  defineFamily({
    name: 'fineweb',
    stage: 'cleaned',
    version: 1,
    description: `FineWeb quality heuristics (Penedo et al. 2024), lines as ${definition === 'fineweb' ? 'the published FineWeb data' : 'FineWeb-2'} counted them`,
    signals: [
      { name: 'fineweb_line_punct_ratio', type: 'DOUBLE', description: 'fraction of lines ending in a stop character' },
      { name: 'fineweb_short_line_ratio', type: 'DOUBLE', description: 'fraction of lines of 30 characters or fewer' },
      { name: 'fineweb_char_dup_ratio', type: 'DOUBLE', description: 'characters in duplicated lines / characters but newlines' },
      { name: 'fineweb_list_ratio', type: 'DOUBLE', description: 'newlines per word' },
    ],
    measure(doc, out) {
      const s = fineweb(doc, definition);
      out.fineweb_line_punct_ratio(s.linePunctRatio);
      out.fineweb_short_line_ratio(s.shortLineRatio);
      out.fineweb_char_dup_ratio(s.charDupRatio);
      out.fineweb_list_ratio(s.listRatio);
    },
  });
