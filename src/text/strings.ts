/**
 * `text` as a sequential string: its characters in one flat buffer of its own.
 *
 * V8 gives a slice of a long string (13 units or more) and a concatenation their own
 * representations (sliced and cons strings), which point into other strings. A scanning loop
 * (`text.charCodeAt(i)` in the entity matcher, MinHash, the line statistics) that meets more
 * than four representations at one call site goes megamorphic: every character then costs a
 * generic property lookup and a call. Texts straight from the Parquet reader are sequential; the
 * passes that change a text (normalization, C4's rewrite, PII redaction) end in slices and
 * concatenations, so the annotator makes their results sequential once (one copy of a text that
 * changed), and every family sees at most two representations (one- and two-byte).
 */
export function sequential(text: string): string {
  // Array#join of two non-empty parts copies both into a new sequential string (a join with one
  // non-empty part returns that part as it is). Shorter slices and concatenations are copies already.
  return text.length < 13 ? text : [text.slice(0, 1), text.slice(1)].join('');
}
