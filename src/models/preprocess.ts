import { LABEL_PREFIX } from '../config/fasttext-label.js';
import type { Preprocessing } from '../config/models.js';
import { firstChars } from '../text/chars.js';

/**
 * How a document becomes the one line fastText reads, the same when training and when scoring:
 * the first `max_chars` characters (never splitting a surrogate pair), lower-cased when
 * `lowercase`, every run of whitespace (newlines included: fastText ends an example at a newline)
 * as one space, and no word starting with fastText's label prefix `__label__` (fastText would take
 * it for a label: the prefix is removed). fastText splits words at whitespace only, so punctuation
 * stays on its word, as in DCLM's and FineWeb's classifiers.
 */

// fastText's word separators: space, \n, \r, \t, \v, \f, \0; other Unicode spaces are folded too,
// as a model trained on normalized text never saw them.
const WHITESPACE = /[\s\0]+/gu;

export { LABEL_PREFIX };

export function fastTextLine(text: string, p: Preprocessing): string {
  return fastTextWords(text, p).replace(WHITESPACE, ' ').trim();
}

/**
 * fastTextLine before its whitespace folding: the same words, separated by any whitespace. What
 * winnow's fastText kernel reads with `folded` (it separates words at every character \s
 * matches), without the copies the folding makes.
 */
export function fastTextWords(text: string, p: Preprocessing): string {
  let t = firstChars(text, p.max_chars);
  if (p.lowercase) t = t.toLowerCase();
  if (t.includes(LABEL_PREFIX)) t = t.replaceAll(LABEL_PREFIX, '');
  return t;
}
