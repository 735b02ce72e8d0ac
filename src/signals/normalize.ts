import type { NormalizeConfig } from '../config/pipeline.js';

const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
// One character of lookahead only: a regex such as /[^\S\n]+$/gm backtracks quadratically on long
// runs of spaces inside a line.
const HAS_TRAILING_SPACE = /[^\S\n](?:\n|$)/;

/**
 * Builds the text normalizer for a pipeline. Its output is the text every signal measures, the
 * content hash covers, and curated rows carry. Each step can be switched off:
 *  - Unicode normalization (NFC by default, NFKC optional) so that composed and decomposed
 *    forms of the same text are equal;
 *  - line endings: CRLF, CR, NEL and the Unicode line/paragraph separators become "\n";
 *  - trailing whitespace on each line, and at both ends of the document, is removed;
 *  - runs of blank lines are shortened to `max_blank_lines`.
 * Indentation and spaces inside a line are kept: they carry meaning in code and tables.
 */
export function makeNormalizer(config: NormalizeConfig): (text: string) => string {
  const blankRun = new RegExp(`\\n{${config.max_blank_lines + 2},}`, 'g');
  const blankReplacement = '\n'.repeat(config.max_blank_lines + 1);
  return (input: string): string => {
    let text = config.unicode === 'none' ? input : input.normalize(config.unicode);
    if (config.line_endings) text = text.replace(LINE_BREAKS, '\n');
    if (config.trailing_whitespace) text = trimLines(text);
    return text.replace(blankRun, blankReplacement);
  };
}

function trimLines(text: string): string {
  const trimmed = HAS_TRAILING_SPACE.test(text) ? text.split('\n').map((line) => line.trimEnd()).join('\n') : text;
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed.charCodeAt(start) === 10) start++;
  while (end > start && trimmed.charCodeAt(end - 1) === 10) end--;
  return start === 0 && end === trimmed.length ? trimmed : trimmed.slice(start, end);
}
