import { RE2JS } from 're2js';

/**
 * The syntax of user-supplied regular expressions (PII pattern files): RE2's, which only admits
 * what a linear-time engine can run (no lookahead, no backreferences), with captureless
 * lookbehind as re2js runs it in linear time, and `\uXXXX` for a code point (JavaScript's
 * spelling, turned into RE2's `\x{XXXX}` here), so that a pattern in the common subset of RE2
 * and JavaScript means the same in both. Flags: i (ignore case), m (^ and $ at line breaks),
 * s (. matches line breaks).
 */
export const PATTERN_FLAGS = /^[ims]*$/;

/** How much of a pattern an error message quotes (as YAML would: in '', with ' doubled). */
const EXCERPT = 40;

/** The flags in a fixed order, each once: the form that is hashed and compared. */
export const normalFlags = (flags = ''): string => [...new Set(flags)].sort().join('');

/** The pattern in RE2's own spelling: `\uXXXX` becomes `\x{XXXX}` (not inside `\Q...\E`); the rest is kept. */
export function re2Source(source: string): string {
  if (!source.includes('\\u')) return source;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    if (source[i + 1] === 'Q') {
      const end = source.indexOf('\\E', i + 2);
      const to = end < 0 ? source.length : end + 2;
      out += source.slice(i, to);
      i = to - 1;
      continue;
    }
    const hex = /^u([0-9A-Fa-f]{4})/.exec(source.slice(i + 1, i + 6));
    if (hex) {
      out += `\\x{${hex[1]}}`;
      i += 5;
    } else {
      out += source.slice(i, i + 2);
      i++;
    }
  }
  return out;
}

export function re2Flags(flags = ''): number {
  let f = RE2JS.LOOKBEHINDS;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  return f;
}

/**
 * The index after the construct at `i` that may hold parentheses that are not groups: an escape
 * (`\(`, `\Q...\E`), a character class (`[(]`, `[[:alpha:]]`), or else one character.
 */
function skipAt(source: string, i: number): number {
  if (source[i] === '\\') {
    if (source[i + 1] === 'Q') {
      const end = source.indexOf('\\E', i + 2);
      return end < 0 ? source.length : end + 2;
    }
    return i + 2;
  }
  if (source[i] === '[') {
    let j = i + 1;
    if (source[j] === '^') j++;
    if (source[j] === ']') j++;
    while (j < source.length && source[j] !== ']') {
      if (source[j] === '\\') j += 2;
      else if (source.startsWith('[:', j)) {
        const end = source.indexOf(':]', j + 2);
        j = end < 0 ? j + 1 : end + 2;
      } else j++;
    }
    return j + 1;
  }
  return i + 1;
}

/** The index after the `)` that closes the group opening at `open`. */
function closeOf(source: string, open: number): number {
  let depth = 0;
  for (let j = open; j < source.length; ) {
    if (source[j] === '(') depth++;
    else if (source[j] === ')' && --depth === 0) return j + 1;
    j = skipAt(source, j);
  }
  return source.length;
}

/** The index of each group opening `(` at the top level or inside other groups, in order. */
function* groupOpenings(source: string): Generator<number> {
  for (let i = 0; i < source.length; i = skipAt(source, i)) if (source[i] === '(') yield i;
}

/**
 * The pattern with every lookbehind, `(?<=...)` or `(?<!...)`, taken out (as `(?:)`), or
 * undefined when it has none. What it matches is a superset of what the pattern matches, and
 * re2js answers it on its DFA, where a lookbehind sends it to the NFA, 20 times slower: a cheap
 * first test of whether the pattern can match at all. The source must compile (RE2 syntax).
 */
export function withoutLookbehinds(source: string): string | undefined {
  if (!/\(\?<[=!]/.test(source)) return undefined;
  let out = '';
  let found = false;
  for (let i = 0; i < source.length; ) {
    if (source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
      out += '(?:)';
      found = true;
      i = closeOf(source, i);
      continue;
    }
    const next = skipAt(source, i);
    out += source.slice(i, next);
    i = next;
  }
  return found ? out : undefined;
}

/**
 * Where a pattern's `pii` group lies in every match that sets it, when its spelling says so:
 * `start` when only lookbehinds come before the group (and no quantifier after it), `end` when
 * only `\b` and `$` come after it, otherwise undefined. With a place known, V8 need not be asked
 * for the group's indices (its `d` flag costs 15% on the e-mail pattern).
 */
export function piiPlace(source: string): 'start' | 'end' | undefined {
  const open = source.indexOf('(?<pii>');
  if (open < 0 || [...groupOpenings(source)].every((i) => i !== open)) return undefined;
  const close = closeOf(source, open);
  const before = source.slice(0, open);
  const after = source.slice(close);
  if (/^(?:\(\?:\))*$/.test(withoutLookbehinds(before) ?? before) && !/^[*+?{]/.test(after)) return 'start';
  if (/^(?:\\b|\$)*$/.test(after)) return 'end';
  return undefined;
}

/** A pattern that is not in the syntax above; the message is one line and quotes little of it. */
export class PatternSyntaxError extends Error {}

/** Compiles a pattern with re2js (linear time whatever the input), or throws a PatternSyntaxError. */
export function compileRe2(source: string, flags = ''): RE2JS {
  if (!PATTERN_FLAGS.test(flags)) throw new PatternSyntaxError(`flags may be i, m and s, not ${JSON.stringify(flags)}`);
  try {
    return RE2JS.compile(re2Source(source), re2Flags(flags));
  } catch (err) {
    throw new PatternSyntaxError(`${why(source, (err as Error).message)} in ${excerpt(source)}`);
  }
}

/** The problem with a pattern, or undefined when re2js compiles it. */
export function patternProblem(source: string, flags = ''): string | undefined {
  try {
    compileRe2(source, flags);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** re2js's reason, made short (it may quote the rest of the pattern) and, for the usual cases, a hint. */
function why(source: string, message: string): string {
  const reason = message.replace(/^error parsing regexp: /, '').replace(/: `.*$/s, '');
  if (/\(\?[=!]/.test(source) && /unsupported Perl syntax/.test(reason)) {
    return 'lookahead ((?= or (?!) is not supported: put what must follow after a (?<pii>...) group, or use require';
  }
  if (/invalid escape sequence/.test(reason) && /\\(?:[1-9]|k<)/.test(source)) return 'backreferences (\\1, \\k<name>) are not supported';
  if (/invalid repeat count/.test(reason)) return 'invalid repeat count (at most 1000, and at most 1000 for repeats nested in repeats)';
  if (/capture in lookbehind/.test(reason)) return 'a lookbehind may not hold a capturing group: use (?:...) inside it';
  return `not RE2 syntax (${reason})`;
}

export const excerpt = (source: string): string => {
  const flat = source.replace(/[\r\n\t]+/g, ' ');
  return `'${(flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat).replace(/'/g, "''")}'`;
};
