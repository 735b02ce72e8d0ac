/**
 * Normalization's whitespace steps (5 to 7) as they were in JavaScript before they moved into the
 * word kernel (src/text/normalize.ts), plugged into the same normalizer: the reference
 * test/text/normalize.test.ts holds the kernel's to.
 */
import type { NormalizeConfig } from '../../src/config/pipeline.js';
import { isWhitespace } from '../../src/text/chars.js';
import { makeNormalizer, type Normalized, type WhitespaceSteps } from '../../src/text/normalize.js';

const SPACE_RUN = /(\S) {2,}(?=\S)/g;

const referenceWhitespace: WhitespaceSteps = (input, spaces, trailing, maxBlank) => {
  let text = input;
  if (spaces && text.includes('  ')) text = text.replace(SPACE_RUN, '$1 ');
  if (trailing) text = trimLines(text);
  return maxBlank < 0 ? text : referenceLimitBlankRuns(text, maxBlank);
};

export const referenceNormalizer = (config: NormalizeConfig): ((text: string) => Normalized) => makeNormalizer(config, referenceWhitespace);

/**
 * Runs of more than `max` blank lines (max + 2 or more newlines) shortened to `max`. A scan of
 * the text's runs, whatever `max` is: a regular expression \n{max+2,} built from a large setting
 * (a user's "no limit") made a huge repetition count that cost seconds per megabyte.
 */
export function referenceLimitBlankRuns(text: string, max: number): string {
  const keep = max + 1; // newlines a run keeps
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\n\n'); i !== -1; i = text.indexOf('\n\n', i)) {
    let j = i + 2;
    while (j < text.length && text.charCodeAt(j) === 10) j++;
    if (j - i > keep) {
      out += text.slice(from, i + keep);
      from = j;
    }
    i = j;
  }
  return from === 0 ? text : out + text.slice(from);
}

// The shortcut that skipped trimLineEnds when no " \n", "\t\n" (or, without `spaces`, no \s
// before a newline) was found is gone: it missed a carriage return before "\n" (line_endings off)
// and NEL, which trimLineEnds removes, so whether a line was trimmed hung on the other lines.
function trimLines(text: string): string {
  const trimmed = trimLineEnds(text);
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed.charCodeAt(start) === 10) start++;
  while (end > start && trimmed.charCodeAt(end - 1) === 10) end--;
  return start === 0 && end === trimmed.length ? trimmed : trimmed.slice(start, end);
}

/** Each line's trailing whitespace removed (String.prototype.trimEnd), copying only the kept runs. */
function trimLineEnds(text: string): string {
  const parts: string[] = [];
  let from = 0; // start of the text not yet copied
  let lineStart = 0;
  for (;;) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    let end = lineEnd;
    while (end > lineStart && isWhitespace(text.charCodeAt(end - 1))) end--;
    if (end < lineEnd) {
      parts.push(text.slice(from, end));
      from = lineEnd;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
