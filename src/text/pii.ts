import { unsafeRegexReason } from './safe-regex.js';

export interface PiiPattern {
  /** Placeholder type: the text becomes `<TYPE>`, and the count goes to signal `pii_<type>`. */
  type: string;
  regex: string;
  flags?: string;
  /** A second pattern the match must also contain (for example a personal path in a URL). */
  require?: string;
  /** A cheap pattern the text must contain before this one is tried: most texts have no PII. */
  prefilter?: string;
  description?: string;
}

export interface Redactor {
  types: string[];
  redact(text: string): { text: string; counts: number[] };
}

/**
 * Builds the redactor for a list of patterns, applied in order; each match becomes a typed
 * placeholder. A pattern with a named group `pii` replaces only that group, so a label such as
 * "DOB:" stays readable. Patterns are checked for catastrophic backtracking before use.
 */
export function makeRedactor(patterns: readonly PiiPattern[]): Redactor {
  const compiled = patterns.map((p) => {
    for (const source of [p.regex, p.require, p.prefilter].filter((s): s is string => s !== undefined)) {
      const unsafe = unsafeRegexReason(source);
      if (unsafe) throw new Error(`PII pattern ${p.type}: ${unsafe} (it could take exponential time on some input)`);
    }
    // No implicit u flag: with i, it makes \b and case folding Unicode-aware and patterns 2-3x slower.
    const flags = new Set([...(p.flags ?? ''), 'g']);
    return {
      placeholder: `<${p.type}>`,
      regex: new RegExp(p.regex, [...flags].join('')),
      require: p.require ? new RegExp(p.require, p.flags ?? '') : undefined,
      prefilter: p.prefilter ? new RegExp(p.prefilter, p.flags ?? '') : undefined,
    };
  });
  const types = [...new Set(patterns.map((p) => p.type))];
  const slot = patterns.map((p) => types.indexOf(p.type));
  return {
    types,
    redact(input: string) {
      const counts = new Array<number>(types.length).fill(0);
      let text = input;
      compiled.forEach((c, i) => {
        if (c.prefilter && !c.prefilter.test(text)) return;
        text = text.replace(c.regex, (...args: unknown[]) => {
          const match = args[0] as string;
          if (c.require && !c.require.test(match)) return match;
          counts[slot[i]!]!++;
          const groups = args[args.length - 1] as Record<string, string | undefined> | string;
          if (typeof groups === 'object' && groups?.pii !== undefined) return match.replace(groups.pii, c.placeholder);
          return c.placeholder;
        });
      });
      return { text, counts };
    },
  };
}
