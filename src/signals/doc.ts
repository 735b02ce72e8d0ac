/** A normalized document as the signals see it; derived views are computed once, on first use. */
export class Doc {
  private _lines?: string[];

  constructor(readonly text: string) {}

  get lines(): string[] {
    return (this._lines ??= this.text === '' ? [] : this.text.split('\n'));
  }
}
