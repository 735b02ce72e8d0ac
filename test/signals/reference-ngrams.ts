import { codePoints, hasSurrogates } from '../../src/signals/text-stats.js';
import { SubstringIds } from './substring-ids.js';
import type { Tokens } from '../../src/text/tokenizer.js';

// Gopher repetition's word n-gram counts as they were written in JavaScript, before they moved to
// WebAssembly (src/text/word-kernel.as.ts): the reference the kernel is tested against.

/**
 * Storage for a hash table of integer pairs, probed inline by its one user (the n-gram levels of
 * Gopher repetition, where the probe is the hottest loop of annotate). Each slot holds four ints
 * side by side, so a probe touches one cache line: a stamp (the slot is live when it equals the
 * table's current stamp, so resetting costs nothing), the two keys, and the pair's id.
 */
class PairSlots {
  slots = new Int32Array(0);
  mask = 0;
  stamp = 0;

  /** Empties the table and sizes it for `entries` pairs. */
  reset(entries: number): void {
    const needed = Math.max(16, 2 ** Math.ceil(Math.log2(entries * 2 + 1)));
    if (needed * 4 > this.slots.length) {
      this.slots = new Int32Array(needed * 4);
      this.stamp = 0;
    } else if (this.stamp >= 0x3fffffff) {
      // Stamps are stored as int32: clear the slots before they could wrap around.
      this.slots.fill(0);
      this.stamp = 0;
    }
    this.mask = needed - 1;
    this.stamp++;
  }
}

/** The first probe slot of a pair. */
function pairSlot(a: number, b: number, mask: number): number {
  const h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  return (h ^ (h >>> 15)) & mask;
}

const table = new PairSlots();
const vocabulary = new SubstringIds();

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
export function referenceNgrams(tokens: Tokens): { top: Float64Array; dup: Float64Array } {
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

