import type { C4Lines } from '../text/c4-lines.js';
import type { Normalized } from '../text/normalize.js';
import { hasOtherBreaks } from '../text/lines.js';
import { Spans } from '../text/spans.js';
import { wordKernel } from '../text/word-kernel-host.js';
import { tokenize, type Tokens } from '../text/tokenizer.js';
import { countWords } from './counts.js';
import { codePoints, hasSurrogates, lineRepeats, type LineRepeats } from './text-stats.js';

/** What the text passes of annotate did to a document, for the signals that report it. */
export interface Passes {
  normalize?: Normalized;
  c4?: C4Lines;
  pii?: { types: string[]; counts: number[]; spans: readonly { type: string; start: number; end: number }[] };
}

/** The input columns besides the text, as the row has them (null where the pipeline maps none). */
export interface DocInputs {
  readonly url: string | null;
  readonly source: string | null;
}

/** A document with no input columns, or whose families read none. */
export const NO_INPUTS: DocInputs = { url: null, source: null };

/**
 * A document as the signals see it. Its tokens are computed once, on first use, and shared by
 * every signal family.
 */
export class Doc {
  private _tokens?: Tokens;
  private _lineRepeats?: LineRepeats;
  private _astral?: boolean;
  private _chars?: number;
  private _otherBreaks?: boolean;
  private _lines?: Spans;

  constructor(
    readonly text: string,
    /** Shared by the documents of one annotation; a family reads those it declares (`needs.inputs`). */
    readonly inputs: DocInputs = NO_INPUTS,
    /** Shared by the documents of one annotation: each pass adds its result. */
    readonly passes: Passes = {},
    /** Token buffers to reuse (the annotator keeps one per stage instead of allocating per document). */
    private readonly tokenBuffer?: Tokens,
    /** The text's line breaks are all "\n" (normalization made them so): `otherBreaks` needs no scan. */
    private readonly newlinesOnly = false,
    /** A line list to reuse (as `tokenBuffer`). */
    private readonly lineBuffer?: Spans,
  ) {}

  /**
   * The lines of text.split("\n") as offsets (an empty text is one empty line), found once, in the
   * word kernel, and shared by the line families.
   */
  get lines(): Spans {
    return (this._lines ??= wordKernel().lines(this.text, this.lineBuffer ?? new Spans()));
  }

  /** Whether the text has line breaks other than "\n" (src/text/lines.ts), which the line families split at too. */
  get otherBreaks(): boolean {
    return (this._otherBreaks ??= !this.newlinesOnly && hasOtherBreaks(this.text));
  }

  /** Whitespace-separated words: from the tokens when they exist (here or in the word kernel), counted otherwise. */
  get wordCount(): number {
    if (this._tokens) return this._tokens.chunks;
    const kernel = wordKernel();
    return kernel.holds(this.text) ? kernel.chunks : countWords(this.text);
  }

  /** Whether the text has surrogate pairs: where code points (Python's len) and UTF-16 units differ. */
  get astral(): boolean {
    return (this._astral ??= hasSurrogates(this.text));
  }

  /** Code points, as Python's len() counts them. */
  get chars(): number {
    return (this._chars ??= this.astral ? codePoints(this.text) : this.text.length);
  }

  /** Repeated lines, shared by the Gopher and FineWeb families. */
  get lineRepeats(): LineRepeats {
    return (this._lineRepeats ??= lineRepeats(this.text, this.astral));
  }

  /** How many word tokens the text has: the word kernel's count, without copying the tokens out. */
  get tokenCount(): number {
    if (this._tokens) return this._tokens.count;
    const kernel = wordKernel();
    kernel.hold(this.text);
    return kernel.count;
  }

  /** Word tokens (src/text/tokenizer.ts), as offsets into the text. */
  get tokens(): Tokens {
    return (this._tokens ??= tokenize(this.text, this.tokenBuffer));
  }
}
