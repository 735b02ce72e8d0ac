import { fnv1a } from '../text/tokenizer.js';
/**
 * Storage for a hash table of integer pairs, probed inline by its one user (the n-gram levels of
 * Gopher repetition, where the probe is the hottest loop of annotate). Each slot holds four ints
 * side by side, so a probe touches one cache line: a stamp (the slot is live when it equals the
 * table's current stamp, so resetting costs nothing), the two keys, and the pair's id.
 */
export class PairSlots {
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
export function pairSlot(a: number, b: number, mask: number): number {
  const h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  return (h ^ (h >>> 15)) & mask;
}

/**
 * Dense ids for the distinct substrings of one text, given as offsets: a word's identity without
 * building its string. Equal substrings get equal ids; ids follow first occurrence. Slots keep the
 * hash, so a probe compares characters only when hash and length agree.
 */
export class SubstringIds {
  private capacity = 0;
  // Per slot, four ints side by side (one cache line per probe): id + 1 (0: empty), hash, start, length.
  private slots = new Int32Array(0);
  private text = '';
  size = 0;

  private mask = 0;

  /** Forgets every substring; the table in use is sized for `entries`, not for the largest text seen. */
  reset(text: string, entries: number): void {
    this.text = text;
    const needed = Math.max(16, 2 ** Math.ceil(Math.log2(entries * 2 + 1)));
    if (needed > this.capacity) {
      this.capacity = needed;
      this.slots = new Int32Array(needed * 4);
    } else this.slots.fill(0, 0, needed * 4);
    this.mask = needed - 1;
    this.size = 0;
  }

  /** `hash`: fnv1a(text, start, end), when the caller has it already. */
  idFor(start: number, end: number, hash = fnv1a(this.text, start, end)): number {
    const slots = this.slots;
    const mask = this.mask;
    const length = end - start;
    let slot = (hash ^ (hash >>> 16)) & mask;
    for (;;) {
      const at = slot << 2;
      const stored = slots[at]!;
      if (stored === 0) {
        slots[at] = ++this.size;
        slots[at + 1] = hash;
        slots[at + 2] = start;
        slots[at + 3] = length;
        return this.size - 1;
      }
      if (slots[at + 1] === hash && slots[at + 3] === length && sameChars(this.text, slots[at + 2]!, start, length)) return stored - 1;
      slot = (slot + 1) & mask;
    }
  }
}

function sameChars(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}
