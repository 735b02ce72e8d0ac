/**
 * Spans of a text, as offsets: lines or paragraphs without building their strings. Reused from
 * document to document (`count = 0`): a JavaScript array emptied by `length = 0` drops its backing
 * store, and pushing a document's lines into it allocated and copied it again for every document.
 */
export class Spans {
  count = 0;
  starts = new Int32Array(256);
  ends = new Int32Array(256);

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }
}
