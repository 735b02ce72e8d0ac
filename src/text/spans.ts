import { grown } from './typed-arrays.js';

/** What an emptied list keeps: a huge document's spans are not held for the rest of the worker's life. */
const KEPT_CAPACITY = 1 << 16;

/**
 * Spans of a text, as offsets: lines or paragraphs without building their strings. Reused from
 * document to document (`clear`): a JavaScript array emptied by `length = 0` drops its backing
 * store, and pushing a document's lines into it allocated and copied it again for every document.
 */
export class Spans {
  count = 0;
  starts = new Int32Array(256);
  ends = new Int32Array(256);

  /** Empties the list for another text, keeping its buffers unless they outgrew KEPT_CAPACITY. */
  clear(): this {
    this.count = 0;
    if (this.starts.length > KEPT_CAPACITY) {
      this.starts = new Int32Array(256);
      this.ends = new Int32Array(256);
    }
    return this;
  }

  /** Room for `count` spans in all. */
  reserve(count: number): void {
    if (count <= this.starts.length) return;
    this.starts = grown(this.starts, count);
    this.ends = grown(this.ends, count);
  }

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts, this.count + 1);
      this.ends = grown(this.ends, this.count + 1);
    }
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }
}
