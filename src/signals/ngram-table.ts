import { fnv1a } from '../text/tokenizer.js';
/**
 * Dense ids for pairs of integers, with open addressing over typed arrays. Gopher's n-gram rules
 * need the identity of every n-gram of a document for n = 2..10: an n-gram is the pair (id of its
 * first n-1 words, id of its last word), so each level costs one lookup per position and no
 * strings are built. Ids are given in order of first occurrence, which is also the order Python's
 * Counter breaks ties in.
 */
export class PairIds {
  private capacity = 0;
  private keysA = new Int32Array(0);
  private keysB = new Int32Array(0);
  private ids = new Int32Array(0);
  private stamps = new Int32Array(0);
  private generation = 0;
  size = 0;

  private mask = 0;

  /**
   * Forgets every pair and makes room for `entries` of them. The table in use is sized for this
   * document, not for the largest seen: a small table stays in cache.
   */
  reset(entries: number): void {
    const needed = Math.max(16, 2 ** Math.ceil(Math.log2(entries * 2 + 1)));
    if (needed > this.capacity) {
      this.capacity = needed;
      this.keysA = new Int32Array(needed);
      this.keysB = new Int32Array(needed);
      this.ids = new Int32Array(needed);
      this.stamps = new Int32Array(needed);
      this.generation = 0;
    }
    this.mask = needed - 1;
    this.generation++;
    this.size = 0;
  }

  /** The pair's id if it has one; otherwise it gets `fresh`, which is returned. */
  idOrInsert(a: number, b: number, fresh: number): number {
    const mask = this.mask;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      if (this.stamps[h] !== this.generation) {
        this.stamps[h] = this.generation;
        this.keysA[h] = a;
        this.keysB[h] = b;
        this.ids[h] = fresh;
        this.size++;
        return fresh;
      }
      if (this.keysA[h] === a && this.keysB[h] === b) return this.ids[h]!;
      h = (h + 1) & mask;
    }
  }
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
