import type { Doc } from './doc.js';
import { pairSlot, PairSlots, SubstringIds } from './ngram-table.js';
import type { Tokens } from '../text/tokenizer.js';
import type { SignalFamily } from './signal.js';
import { isWhitespace } from '../text/chars.js';
import { codePoints, duplicateSpans, hasSurrogates, ratio, Spans, splitAtNewlines } from './text-stats.js';

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

const table = new PairSlots();
const paragraphs = new Spans();

/** The range Python's str.strip() keeps. */
function trimmedRange(text: string): [number, number] {
  let from = 0;
  let to = text.length;
  while (from < to && isWhitespace(text.charCodeAt(from))) from++;
  while (to > from && isWhitespace(text.charCodeAt(to - 1))) to--;
  return [from, to];
}
const vocabulary = new SubstringIds();

export function gopherRepetition(doc: Doc): GopherRepetition {
  const { text } = doc;
  const chars = codePoints(text);
  // Python's re.split("\n+", text): the non-empty lines, and an empty one at each end the text
  // starts or ends with a newline ("" is one empty line).
  const repeats = doc.lineRepeats;
  const edges = text === '' ? 1 : (text.charCodeAt(0) === 10 ? 1 : 0) + (text.charCodeAt(text.length - 1) === 10 ? 1 : 0);
  const line = { elements: repeats.amongNonEmpty.elements + (edges === 2 ? 1 : 0), chars: repeats.amongNonEmpty.chars };
  const lineCount = repeats.nonEmpty + edges;
  // Equal paragraphs have equal lines: without a repeated line there is no repeated paragraph.
  const [from, to] = trimmedRange(text);
  splitAtNewlines(text, from, to, 2, paragraphs);
  const para = line.elements > 0 ? duplicateSpans(text, paragraphs) : line;
  const { top, dup } = ngramRepetition(doc.tokens);
  const topFrac = new Array<number | null>(11).fill(null);
  const dupFrac = new Array<number | null>(11).fill(null);
  for (let n = 2; n <= 10; n++) {
    if (n <= 4) topFrac[n] = ratio(top[n]!, chars);
    else dupFrac[n] = ratio(dup[n]!, chars);
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

// Scratch buffers, grown as needed and reused from document to document.
let gram = new Int32Array(1024); // per position: id of the n-gram starting there (valid at repeated positions)
let word = new Int32Array(1024); // per position: id of the word there
let repeated = new Int32Array(1024); // positions whose current n-gram occurs more than once, ascending
let counts = new Int32Array(1024); // per id: occurrences among the candidates
let firstAt = new Int32Array(1024); // per id: its first position
let seen = new Int32Array(1024); // per id: visited by the duplicate scan (stamped)
let alive = new Int32Array(1024); // per position: its n-gram repeats (stamped with the level's stamp)
let prefix = new Float64Array(1025); // prefix sums of word lengths
let stamp = 0;

/** Stamps for `seen` and `alive`, a few per level; both are cleared before the stamps could wrap around. */
const nextStamp = (): number => ++stamp;
function clearStampsIfWorn(): void {
  if (stamp < 0x3fff0000) return;
  seen.fill(0);
  alive.fill(0);
  stamp = 0;
}

function ensure(n: number): void {
  if (word.length >= n) return;
  const size = 2 ** Math.ceil(Math.log2(n));
  gram = new Int32Array(size);
  word = new Int32Array(size);
  repeated = new Int32Array(size);
  counts = new Int32Array(size);
  firstAt = new Int32Array(size);
  seen = new Int32Array(size);
  alive = new Int32Array(size);
  prefix = new Float64Array(size + 1);
  stamp = 0;
}

/**
 * Character counts behind the n-gram rules, for n = 2..10. An n-gram is identified by the pair
 * (id of its first n-1 words, id of its last word). A repeated n-gram is made of two repeated
 * (n-1)-grams, the one at its position and the one after, so each level looks only at positions
 * where both repeat: in ordinary text they thin out within a few words, and the cost falls with
 * every level. Every other n-gram occurs once, which is all the top and duplicate rules need to
 * know of it.
 */
export function ngramRepetition(tokens: Tokens): { top: Float64Array; dup: Float64Array } {
  const n = tokens.count;
  const { text, starts, ends, hashes } = tokens;
  ensure(n);
  clearStampsIfWorn();
  // Local references: the hot loops below must not reload module variables.
  const [words, grams, reps_, counts_, firsts, seen_, alive_, lengths] = [word, gram, repeated, counts, firstAt, seen, alive, prefix];
  const astral = hasSurrogates(text);
  vocabulary.reset(text, n);
  for (let i = 0; i < n; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    const id = vocabulary.idFor(start, end, hashes[i]!);
    words[i] = id;
    grams[i] = id;
    lengths[i + 1] = lengths[i]! + (astral ? codePoints(text.slice(start, end)) : end - start);
  }
  counts_.fill(0, 0, vocabulary.size);
  for (let i = 0; i < n; i++) counts_[words[i]!]!++;
  let reps = 0;
  let level = nextStamp(); // alive_[i] === level: the n-gram at i repeats, for the current n
  for (let i = 0; i < n; i++) {
    if (counts_[words[i]!]! > 1) {
      reps_[reps++] = i;
      alive_[i] = level;
    }
  }

  const top = new Float64Array(11); // by n
  const dup = new Float64Array(11);
  for (let size = 2; size <= 10; size++) {
    const m = n - size + 1;
    if (m <= 0) continue; // no n-grams: datatrove skips the top rule and finds no duplicates
    // Extend each repeated (n-1)-gram by one word; keep the n-grams that still repeat. The pair
    // table is probed inline: this is the hottest loop of annotate.
    table.reset(reps);
    const { slots, mask, stamp: live } = table;
    let ids = 0;
    let candidates = 0;
    const previous = level;
    level = nextStamp();
    for (let r = 0; r < reps; r++) {
      const i = reps_[r]!;
      if (i >= m) break;
      if (alive_[i + 1] !== previous) continue;
      const a = grams[i]!;
      const b = words[i + size - 1]!;
      let slot = pairSlot(a, b, mask);
      let id: number;
      for (;;) {
        const at = slot << 2;
        if (slots[at] !== live) {
          slots[at] = live;
          slots[at + 1] = a;
          slots[at + 2] = b;
          slots[at + 3] = id = ids;
          counts_[ids] = 0;
          firsts[ids++] = i;
          break;
        }
        if (slots[at + 1] === a && slots[at + 2] === b) {
          id = slots[at + 3]!;
          break;
        }
        slot = (slot + 1) & mask;
      }
      counts_[id]!++;
      grams[i] = id;
      reps_[candidates++] = i;
    }
    reps = 0;
    if (size <= 4) {
      for (let r = 0; r < candidates; r++) {
        const i = reps_[r]!;
        if (counts_[grams[i]!]! > 1) {
          reps_[reps++] = i;
          alive_[i] = level;
        }
      }
      // Python's Counter.most_common(1): the highest count, the earliest n-gram among equals.
      let best = -1;
      for (let id = 0; id < ids; id++) {
        if (counts_[id]! > 1 && (best < 0 || counts_[id]! > counts_[best]!)) best = id;
      }
      const at = best < 0 ? 0 : firsts[best]!;
      top[size] = (lengths[at + size]! - lengths[at]! + size - 1) * (best < 0 ? 1 : counts_[best]!);
    } else {
      // datatrove's find_all_duplicate: walk the positions; after a repeated n-gram, skip past it.
      // Positions whose n-gram occurs once are never "seen before": the same walk keeps the
      // others for the next level.
      const visit = nextStamp();
      let total = 0;
      let from = 0;
      for (let r = 0; r < candidates; r++) {
        const i = reps_[r]!;
        const id = grams[i]!;
        if (counts_[id]! <= 1) continue;
        reps_[reps++] = i;
        alive_[i] = level;
        if (i < from) continue;
        if (seen_[id] === visit) {
          total += lengths[i + size]! - lengths[i]!;
          from = i + size;
        } else {
          seen_[id] = visit;
          from = i + 1;
        }
      }
      dup[size] = total;
    }
  }
  return { top, dup };
}

export const gopherRepetitionFamily: SignalFamily = {
  name: 'gopher_repetition',
  stage: 'normalized',
  description: 'Gopher repetition heuristics (Rae et al. 2021, appendix A, table A1)',
  signals: [
    { name: 'gopher_dup_para_frac', type: 'DOUBLE', description: 'fraction of paragraphs that repeat an earlier one' },
    { name: 'gopher_dup_para_char_frac', type: 'DOUBLE', description: 'characters in repeated paragraphs / all characters' },
    { name: 'gopher_dup_line_frac', type: 'DOUBLE', description: 'fraction of lines that repeat an earlier one' },
    { name: 'gopher_dup_line_char_frac', type: 'DOUBLE', description: 'characters in repeated lines / all characters' },
    ...TOP_NGRAMS.map((n) => ({ name: `gopher_top_${n}gram_char_frac`, type: 'DOUBLE' as const, description: `characters of the most frequent ${n}-gram times its count / all characters` })),
    ...DUP_NGRAMS.map((n) => ({ name: `gopher_dup_${n}gram_char_frac`, type: 'DOUBLE' as const, description: `characters in duplicated ${n}-grams / all characters` })),
  ],
  measure(doc, out, at) {
    const s = gopherRepetition(doc);
    out[at] = s.dupParaFrac;
    out[at + 1] = s.dupParaCharFrac;
    out[at + 2] = s.dupLineFrac;
    out[at + 3] = s.dupLineCharFrac;
    let k = at + 4;
    for (const n of TOP_NGRAMS) out[k++] = s.topNgramCharFrac[n] ?? null;
    for (const n of DUP_NGRAMS) out[k++] = s.dupNgramCharFrac[n] ?? null;
  },
};
