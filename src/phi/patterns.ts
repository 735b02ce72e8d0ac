import type { RE2JS } from 're2js';
import { WinnowError } from '../config/errors.js';
import { compileRe2, normalFlags, piiPlace, re2Source, withoutLookbehinds } from '../config/pattern-syntax.js';
import { replaceSpans, type PhiSpan } from './span.js';
import { isVetted } from './vetted-patterns.js';

export interface PiiPattern {
  /** Placeholder type: the text becomes `<TYPE>`, and the count goes to signal `pii_<type>`. */
  type: string;
  /** RE2 syntax (src/config/pattern-syntax.ts). A named group `pii` limits the replacement to it. */
  regex: string;
  /** i, m and s. */
  flags?: string;
  /** A second pattern the replaced part must also contain (for example a personal path in a URL). */
  require?: string;
  /** A cheap pattern the text must contain before this one is tried: most texts have no PII. */
  prefilter?: string;
  description?: string;
}

export interface Redactor {
  types: string[];
  redact(text: string): { text: string; counts: number[] };
  /**
   * The matches in `text` as spans, each pattern searching the original text; a match that
   * overlaps an earlier pattern's is dropped, as if that part had been replaced first.
   */
  find(text: string): PhiSpan[];
}

export interface RedactorOptions {
  /**
   * `auto`: the vetted shipped patterns (src/text/vetted-patterns.ts) on V8's engine, any other on
   * re2js; `re2`: every pattern on re2js, as a user's copy of the shipped ones would run (for
   * measurements and comparisons).
   */
  engine?: 'auto' | 're2';
  /**
   * When a pattern on re2js is stopped: past `graceMs` plus `charsPerMs` for each character of the
   * text (see `TIME_LIMIT`).
   */
  timeLimit?: { graceMs: number; charsPerMs: number };
}

/** One match: where it is, and the part to replace (the `pii` group, or the whole match). */
interface Match {
  start: number;
  end: number;
  piiStart: number;
  piiEnd: number;
}

interface Compiled {
  test(text: string): boolean;
  /** The first match at or after `from`. One matcher serves one text, searched forwards. */
  matcher(text: string): (from: number) => Match | undefined;
  /** Whether the time limit applies: a pattern on re2js, not one vetted for V8. */
  guarded: boolean;
}

/**
 * A vetted pattern on V8's engine: an exec loop. The `pii` group's place comes from the pattern's
 * spelling where it can (first, or last: src/config/pattern-syntax.ts), else from V8's `d` flag.
 */
function irregexp(source: string, flags: string): Compiled {
  const hasPii = source.includes('(?<pii>');
  const place = hasPii ? piiPlace(source) : undefined;
  const test = new RegExp(source, flags);
  const find = new RegExp(source, `${flags}g${hasPii && !place ? 'd' : ''}`);
  return {
    test: (text) => test.test(text),
    matcher: (text) => (from) => {
      find.lastIndex = from;
      const m = find.exec(text);
      if (!m) return undefined;
      const start = m.index;
      const end = start + m[0].length;
      const pii = m.groups?.pii;
      if (pii === undefined) return { start, end, piiStart: start, piiEnd: end };
      if (place === 'start') return { start, end, piiStart: start, piiEnd: start + pii.length };
      if (place === 'end') return { start, end, piiStart: end - pii.length, piiEnd: end };
      const [piiStart, piiEnd] = m.indices!.groups!.pii!;
      return { start, end, piiStart, piiEnd };
    },
    guarded: false,
  };
}

/**
 * Any other pattern on re2js: linear-time searches. A search that finds groups runs on re2js's
 * NFA, 30-100 times slower than V8; a yes/no test runs on its DFA, except with a lookbehind.
 * So a test of the pattern without its lookbehinds (what it matches is a superset), on the DFA,
 * decides first whether to search at all, and again before each further search, from one
 * character before the search start (what any assertion there looks at).
 */
function re2(source: string, flags: string): Compiled {
  const re: RE2JS = compileRe2(source, flags);
  const stripped = withoutLookbehinds(re2Source(source));
  const gate = stripped === undefined ? re : compileRe2(stripped, flags);
  const hasPii = 'pii' in re.namedGroups();
  return {
    test: (text) => gate.test(text) && (gate === re || re.test(text)),
    matcher: (text) => {
      const m = re.matcher(text);
      return (from) => {
        if (from > text.length || !gate.test(from === 0 ? text : text.substring(from - 1)) || !m.find(from)) return undefined;
        const start = m.start();
        const end = m.end();
        const piiStart = hasPii ? m.start('pii') : -1;
        return piiStart >= 0 ? { start, end, piiStart, piiEnd: m.end('pii') } : { start, end, piiStart: start, piiEnd: end };
      };
    },
    guarded: true,
  };
}

/**
 * Each search on re2js is linear in the text, but the loop over matches can be quadratic: with a
 * pattern whose matches could run on far past where they end (`a(?:.*z)?`: each search reads to
 * the end of the text to see whether a "z" follows), or whose long matches fail `require` (the
 * search goes on inside them). Such a pattern is stopped, with a message, on the first text where
 * it runs slower than 100 characters a millisecond after 10 s (real patterns run at 1,000 to
 * 100,000). The limit only ever stops a run: it never changes what is redacted.
 */
const TIME_LIMIT = { graceMs: 10_000, charsPerMs: 100 };

/**
 * Builds the redactor for a list of patterns, applied in order; each match becomes a typed
 * placeholder. A pattern with a named group `pii` replaces only that group, so a label such as
 * "DOB:" stays readable, and the search goes on from the group's end, so context after the group
 * is not consumed (it stands in for a lookahead). `require` must match the replaced part, or it
 * is left as is. Vetted shipped patterns run on V8's engine, any other on re2js (linear time);
 * a pattern re2js cannot compile is refused here, and before that when its file is loaded.
 */
export function makeRedactor(patterns: readonly PiiPattern[], options: RedactorOptions = {}): Redactor {
  const limit = options.timeLimit ?? TIME_LIMIT;
  const compile = (source: string, flags: string) => (options.engine !== 're2' && isVetted(source, flags) ? irregexp(source, flags) : re2(source, flags));
  const compiled = patterns.map((p, i) => {
    const flags = normalFlags(p.flags);
    try {
      return {
        name: `PII pattern ${i + 1} (${p.type})`,
        placeholder: `<${p.type}>`,
        regex: compile(p.regex, flags),
        require: p.require !== undefined ? compile(p.require, flags) : undefined,
        prefilter: p.prefilter !== undefined ? compile(p.prefilter, flags) : undefined,
      };
    } catch (err) {
      throw new WinnowError(`PII pattern ${i + 1} (${p.type}): ${(err as Error).message}`);
    }
  });
  const types = [...new Set(patterns.map((p) => p.type))];
  const find = (text: string): PhiSpan[] => {
    const spans: PhiSpan[] = [];
    const taken: [number, number][] = [];
    compiled.forEach((c, i) => {
      if (c.prefilter && !c.prefilter.test(text)) return;
      const next = c.regex.matcher(text);
      const started = c.regex.guarded ? performance.now() : 0;
      const limitMs = limit.graceMs + text.length / limit.charsPerMs;
      let from = 0;
      const mine: [number, number][] = [];
      for (let m = next(from); m; m = next(from)) {
        if (c.require && !c.require.test(text.slice(m.piiStart, m.piiEnd))) {
          // As if a lookahead had failed: no match from this start. The search goes on from the
          // pii group's start (a label inside it is still found), or after a match without one.
          from = m.piiStart > m.start ? m.piiStart : m.end > m.start ? m.end : m.start + 1;
        } else {
          if (!taken.some(([a, b]) => m!.piiStart < b && a < m!.piiEnd)) {
            spans.push({ type: patterns[i]!.type, start: m.piiStart, end: m.piiEnd });
            mine.push([m.piiStart, m.piiEnd]);
          }
          from = m.piiEnd > m.start ? m.piiEnd : m.start + 1;
        }
        if (c.regex.guarded && performance.now() - started > limitMs) throw tooSlow(c.name, text.length, performance.now() - started);
      }
      taken.push(...mine);
    });
    return spans;
  };
  return {
    types,
    find,
    redact(input: string) {
      const spans = find(input).sort((a, b) => a.start - b.start);
      const counts = new Array<number>(types.length).fill(0);
      for (const s of spans) counts[types.indexOf(s.type)]!++;
      return { text: replaceSpans(input, spans), counts };
    },
  };
}

function tooSlow(name: string, chars: number, ms: number): WinnowError {
  return new WinnowError(
    `${name}: more than ${(ms / 1000).toFixed(1)} s on one text of ${chars.toLocaleString('en-US')} characters, so its searches read the text ` +
      'again and again: its matches can run on far past where they end (as in a(?:.*z)?), or long matches fail require. Bound the repetition (.{0,100} instead of .*)',
  );
}
