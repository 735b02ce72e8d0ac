import { fnv1a } from '../../src/text/tokenizer.js';

/**
 * Dense ids for the distinct substrings of one text (lines, paragraphs), given as offsets: an
 * identity without building strings. Equal substrings get equal ids; ids follow first occurrence.
 * Slots keep the hash of the whole substring (a hash of a sample of its characters would let
 * lines that differ only between the samples, such as numbered records, pile up in one probe
 * chain), so a probe compares characters only when hash and length agree.
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

  idFor(start: number, end: number): number {
    const hash = fnv1a(this.text, start, end);
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
