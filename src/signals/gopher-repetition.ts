import { wordKernel } from '../text/word-kernel-host.js';
import { defineFamily, type DocView } from './signal.js';
import { isWhitespace } from '../text/chars.js';
import { ratio } from './text-stats.js';

/**
 * Gopher repetition (Rae et al. 2021, appendix A, table A1; datatrove's GopherRepetitionFilter):
 * duplicate paragraphs and lines by count and by characters, the character share of the most
 * frequent 2-, 3- and 4-gram, and the character share of duplicated 5- to 10-grams. Every value is
 * a fraction of the document's characters (code points), as in datatrove:
 *  - paragraphs split on two or more newlines, lines on one or more;
 *  - the top n-gram's length counts the spaces between its words; duplicated n-grams do not, and
 *    the scan skips past a duplicate (datatrove's find_all_duplicate).
 */

export const TOP_NGRAMS = [2, 3, 4] as const;
export const DUP_NGRAMS = [5, 6, 7, 8, 9, 10] as const;

export interface GopherRepetition {
  dupParaFrac: number | null;
  dupParaCharFrac: number | null;
  dupLineFrac: number | null;
  dupLineCharFrac: number | null;
  /** Indexed by n (2..4 and 5..10). */
  topNgramCharFrac: (number | null)[];
  dupNgramCharFrac: (number | null)[];
}

/** The range Python's str.strip() keeps. */
function trimmedRange(text: string): [number, number] {
  let from = 0;
  let to = text.length;
  while (from < to && isWhitespace(text.charCodeAt(from))) from++;
  while (to > from && isWhitespace(text.charCodeAt(to - 1))) to--;
  return [from, to];
}

export function gopherRepetition(doc: DocView): GopherRepetition {
  const { text } = doc;
  const chars = doc.chars;
  // Python's re.split("\n+", text): the non-empty lines, and an empty one at each end the text
  // starts or ends with a newline ("" is one empty line).
  const repeats = doc.lineRepeats;
  const edges = text === '' ? 1 : (text.charCodeAt(0) === 10 ? 1 : 0) + (text.charCodeAt(text.length - 1) === 10 ? 1 : 0);
  const line = { elements: repeats.amongNonEmpty.elements + (edges === 2 ? 1 : 0), chars: repeats.amongNonEmpty.chars };
  const lineCount = repeats.nonEmpty + edges;
  // Equal paragraphs have equal lines: without a repeated line there is no repeated paragraph.
  const [from, to] = trimmedRange(text);
  const kernel = wordKernel();
  // Paragraphs, and word n-grams over the same tokens, in WebAssembly (src/text/word-kernel.as.ts).
  const paragraphs = kernel.paragraphRepeats(text, from, to, doc.astral, line.elements > 0);
  const para = line.elements > 0 ? paragraphs : line;
  const counts = kernel.ngrams(text, doc.astral);
  const topFrac = new Array<number | null>(11).fill(null);
  const dupFrac = new Array<number | null>(11).fill(null);
  for (let n = 2; n <= 10; n++) {
    if (n <= 4) topFrac[n] = ratio(counts[n]!, chars);
    else dupFrac[n] = ratio(counts[n]!, chars);
  }
  return {
    dupParaFrac: ratio(para.elements, paragraphs.count),
    dupParaCharFrac: ratio(para.chars, chars),
    dupLineFrac: ratio(line.elements, lineCount),
    dupLineCharFrac: ratio(line.chars, chars),
    topNgramCharFrac: topFrac,
    dupNgramCharFrac: dupFrac,
  };
}

export const gopherRepetitionFamily = defineFamily({
  name: 'gopher_repetition',
  stage: 'normalized',
  version: 1,
  description: 'Gopher repetition heuristics (Rae et al. 2021, appendix A, table A1)',
  signals: [
    { name: 'gopher_dup_para_frac', type: 'DOUBLE', description: 'fraction of paragraphs that repeat an earlier one' },
    { name: 'gopher_dup_para_char_frac', type: 'DOUBLE', description: 'characters in repeated paragraphs / all characters' },
    { name: 'gopher_dup_line_frac', type: 'DOUBLE', description: 'fraction of lines that repeat an earlier one' },
    { name: 'gopher_dup_line_char_frac', type: 'DOUBLE', description: 'characters in repeated lines / all characters' },
    ...TOP_NGRAMS.map((n) => ({ name: `gopher_top_${n}gram_char_frac` as const, type: 'DOUBLE' as const, description: `characters of the most frequent ${n}-gram times its count / all characters` })),
    ...DUP_NGRAMS.map((n) => ({ name: `gopher_dup_${n}gram_char_frac` as const, type: 'DOUBLE' as const, description: `characters in duplicated ${n}-grams / all characters` })),
  ],
  measure(doc, out) {
    const s = gopherRepetition(doc);
    const top = s.topNgramCharFrac;
    const dup = s.dupNgramCharFrac;
    out.gopher_dup_para_frac(s.dupParaFrac);
    out.gopher_dup_para_char_frac(s.dupParaCharFrac);
    out.gopher_dup_line_frac(s.dupLineFrac);
    out.gopher_dup_line_char_frac(s.dupLineCharFrac);
    out.gopher_top_2gram_char_frac(top[2] ?? null);
    out.gopher_top_3gram_char_frac(top[3] ?? null);
    out.gopher_top_4gram_char_frac(top[4] ?? null);
    out.gopher_dup_5gram_char_frac(dup[5] ?? null);
    out.gopher_dup_6gram_char_frac(dup[6] ?? null);
    out.gopher_dup_7gram_char_frac(dup[7] ?? null);
    out.gopher_dup_8gram_char_frac(dup[8] ?? null);
    out.gopher_dup_9gram_char_frac(dup[9] ?? null);
    out.gopher_dup_10gram_char_frac(dup[10] ?? null);
  },
});
