import type { NormalizeConfig } from '../config/pipeline.js';
import { fixMojibake } from './mojibake.js';
import { sequential } from './strings.js';
import { wordKernel } from './word-kernel-host.js';
import { KERNEL_SCAN_FLAGS } from './word-kernel-layout.js';

const { LOW_SPECIAL, CARRIAGE_RETURN, MOJIBAKE_LEAD, FROM_00A0, FROM_0300 } = KERNEL_SCAN_FLAGS;

const LINE_BREAKS = /\r\n?|[\u000B\u000C\u001C-\u001E\u0085\u2028\u2029]/g;
// C0 and C1 controls except tab, line feed and carriage return (line endings handle those).
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Invisible characters with no meaning in running text. ZWJ and ZWNJ are kept: they shape emoji
// and Indic and Persian scripts.
const ZERO_WIDTH = /[\u200B\u2060\uFEFF\u180E]/g;
const WIDE_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
// Whether any of the character-level steps has work to do (line breaks other than "\r" included):
// most text is clean. For the input, the word kernel's scan answers below U+0300; this is asked of
// a text an earlier step changed, or of one with characters from U+0300.
const ANY_SPECIAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u00A0\u1680\u180E\u2000-\u200B\u202F\u205F\u2060\u2028\u2029\u3000\uFEFF]/;
// Text without these is its own NFC (NFKC): every character below U+0300 is NFC-stable and none
// composes with a following one below U+0300 (U+00A0 and above have compatibility forms). Checked
// over every pair in test/text/normalize.test.ts. The scan costs a fifth of String#normalize.
const NFC_UNSTABLE = /[^\u0000-\u02ff]/;
const NFKC_UNSTABLE = /[^\u0000-\u009f]/;

export interface Normalized {
  /** The normalized text: the input itself when nothing changed, else a sequential string (strings.ts). */
  text: string;
  /** Mojibake sequences repaired. */
  mojibake: number;
  /** Control and zero-width characters removed. */
  invisible: number;
}

/**
 * Steps 5 (runs of spaces) to 7 over `text`: runs of spaces inside a line made one (`spaces`),
 * trailing whitespace and the newlines at both ends removed (`trailing`), runs of blank lines
 * shortened to `maxBlank` (-1: left as they are).
 */
export type WhitespaceSteps = (text: string, spaces: boolean, trailing: boolean, maxBlank: number) => string;

/** The steps in the word kernel, over its copy: the tokenizer reads the text they leave where it is. */
const kernelWhitespace: WhitespaceSteps = (text, spaces, trailing, maxBlank) => wordKernel().tidy(text, spaces, trailing, maxBlank);

/**
 * Builds the text normalizer for a pipeline. Its output is the text every signal measures, the
 * content hash covers, and curated rows carry. Each step can be switched off, and runs in this
 * order:
 *  1. mojibake repair (UTF-8 read as Windows-1252 or Latin-1);
 *  2. Unicode normalization, NFC by default (NFKC optional), so composed and decomposed forms of
 *     the same text are equal;
 *  3. line endings: CRLF, CR, vertical tab, form feed, NEL, the information separators and the
 *     Unicode line and paragraph separators become "\n" (the breaks Python's splitlines knows);
 *  4. control characters (C0 and C1, except tab and newline) and zero-width characters removed;
 *  5. spaces: no-break and other wide spaces become " ", and runs of spaces inside a line one
 *     space (indentation is kept: it carries meaning in code and tables);
 *  6. trailing whitespace on each line, and blank lines at both ends, removed;
 *  7. runs of blank lines shortened to `max_blank_lines` (`none`: left as they are).
 */
export function makeNormalizer(config: NormalizeConfig, whitespace: WhitespaceSteps = kernelWhitespace): (text: string) => Normalized {
  const maxBlank = config.max_blank_lines;
  const unstable = config.unicode === 'NFC' ? NFC_UNSTABLE : NFKC_UNSTABLE;
  const unstableFlag = config.unicode === 'NFC' ? FROM_0300 : FROM_00A0;
  return (input: string): Normalized => {
    let text = input;
    let mojibake = 0;
    let invisible = 0;
    // One scan of the input (in the word kernel, eight characters at a time) answers the first
    // steps' questions while the text is still the input: most text has nothing for them to do.
    const flags = wordKernel().scan(input);
    if (config.fix_mojibake && flags & MOJIBAKE_LEAD) ({ text, fixed: mojibake } = fixMojibake(text));
    if (config.unicode !== 'none' && (text === input ? flags & unstableFlag : unstable.test(text))) text = text.normalize(config.unicode);
    const same = text === input;
    // ANY_SPECIAL's characters from U+0300 up are rare: only a text with some is searched for them.
    const special = same ? (flags & LOW_SPECIAL) !== 0 || ((flags & FROM_0300) !== 0 && ANY_SPECIAL.test(text)) : ANY_SPECIAL.test(text);
    if (config.line_endings && (special || (same ? (flags & CARRIAGE_RETURN) !== 0 : text.includes('\r')))) text = text.replace(LINE_BREAKS, '\n');
    if (config.remove_invisible && special) {
      const before = text.length;
      text = text.replace(CONTROLS, '').replace(ZERO_WIDTH, '');
      invisible = before - text.length;
    }
    if (config.spaces && special) text = text.replace(WIDE_SPACES, ' ');
    // Steps 5 (runs of spaces) to 7. What they return is sequential (strings.ts): a new string the
    // kernel wrote, or the one they were given, made sequential if an earlier step changed it.
    if (text !== input) text = sequential(text);
    // No run is longer than the text: the limit, clamped to it, fits the kernel's 32-bit integers.
    text = whitespace(text, config.spaces, config.trailing_whitespace, maxBlank === 'none' ? -1 : Math.min(maxBlank, text.length));
    return { text, mojibake, invisible };
  };
}
