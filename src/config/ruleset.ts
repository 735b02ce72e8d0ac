import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { DEFAULT_PHONE_REGIONS, PHI_DETECTOR_NAMES } from './phi-detectors.js';
import { PATTERN_FLAGS, patternProblem } from './pattern-syntax.js';

export const COMPARISONS = ['>=', '>', '<=', '<', '==', '!=', 'in', 'not_in'] as const;
export type Comparison = (typeof COMPARISONS)[number];

const scalar = z.union([z.number(), z.string(), z.boolean()]);

/**
 * A threshold set by the corpus: the value at this quantile of the signal over the deduplicated
 * corpus, found before deciding (src/decisions/quantiles.ts). With `>=` it keeps the top
 * (1 - quantile) of documents, with `<=` the bottom `quantile`.
 */
const quantileThreshold = z.object({ quantile: z.number().gt(0).lt(1) }).strict();

const ruleName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'rule names are snake_case: letters, digits and _');

/**
 * An exception to a comparison rule for the documents that satisfy `when` (a condition over any
 * signal, such as `met_rare >= 1`: documents that mention a rare disease): they are judged by the
 * softer `threshold` instead, or, without one, not by this rule at all. Curated rows an exception
 * saved say so (`winnow_exempted`), and so does `winnow why`.
 */
const ruleException = z
  .object({
    when: z
      .object({ signal: z.string().min(1), op: z.enum(COMPARISONS), threshold: z.union([scalar, z.array(scalar).min(1)]) })
      .strict(),
    threshold: scalar.optional(),
  })
  .strict();

/**
 * A comparison rule: the condition a document must satisfy to be kept, over one signal column.
 * `{signal: word_count, op: '>=', threshold: 50}` keeps documents with 50 words or more.
 */
const comparisonRule = z
  .object({
    name: ruleName,
    signal: z.string().min(1),
    op: z.enum(COMPARISONS),
    threshold: z.union([scalar, z.array(scalar).min(1), quantileThreshold]),
    except: ruleException.optional(),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.except) {
      const w = rule.except.when;
      if (Array.isArray(w.threshold) !== (w.op === 'in' || w.op === 'not_in')) {
        ctx.addIssue({ code: 'custom', path: ['except', 'when', 'threshold'], message: `op "${w.op}" needs ${Array.isArray(w.threshold) ? 'a single threshold' : 'a list threshold'}` });
      }
      if (rule.except.threshold !== undefined && (rule.op === 'in' || rule.op === 'not_in')) {
        ctx.addIssue({ code: 'custom', path: ['except', 'threshold'], message: `a softer threshold applies to a single-threshold rule, not to "${rule.op}"` });
      }
    }
    if (typeof rule.threshold === 'object' && !Array.isArray(rule.threshold)) {
      if (rule.op !== '>=' && rule.op !== '<=') {
        ctx.addIssue({ code: 'custom', path: ['op'], message: `a quantile threshold needs op ">=" (keep the top share) or "<=" (keep the bottom share), not "${rule.op}"` });
      }
      return;
    }
    const isList = Array.isArray(rule.threshold);
    const wantsList = rule.op === 'in' || rule.op === 'not_in';
    if (isList !== wantsList) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: wantsList ? `op "${rule.op}" needs a list threshold, e.g. [en, fr]` : `op "${rule.op}" needs a single threshold, not a list`,
      });
    }
  });

export const LIST_OPS = ['in_list', 'not_in_list'] as const;

/**
 * A list rule: the signal's value must (in_list) or must not (not_in_list) be in a list file, one
 * entry a line, "#" comments allowed. `match: domain` also matches parent domains, so an entry
 * "example.com" covers "shop.example.com". The list is read when deciding, so editing it re-decides
 * without recomputing signals.
 */
const listRule = z
  .object({
    name: ruleName,
    signal: z.string().min(1),
    op: z.enum(LIST_OPS),
    /** Relative to the rule-set file. */
    list: z.string().min(1),
    match: z.enum(['exact', 'domain']).default('exact'),
    description: z.string().optional(),
  })
  .strict();

export const ruleSchema = z.union([comparisonRule, listRule]);

export const ruleSetSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    rules: z.array(ruleSchema),
  })
  .strict();

export type ComparisonRule = z.infer<typeof comparisonRule>;
export type RuleException = z.infer<typeof ruleException>;
export type ListRule = z.infer<typeof listRule>;
export type Rule = ComparisonRule | ListRule;
/** `lines`: where each key is written, for problems found after loading (unknown signals). */
export type RuleSet = z.infer<typeof ruleSetSchema> & { file: string; lines?: Record<string, number> };

/**
 * A file of PII patterns (rules/pii.yaml): each match becomes a typed placeholder. Patterns are in
 * RE2 syntax (src/config/pattern-syntax.ts): one that re2js cannot compile is refused here, with
 * its file, line and key, so `run` and `validate` both stop before any work.
 */
export const piiPatternFileSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Built-in detectors to run (src/phi/), before the patterns. */
    detectors: z.array(z.enum(PHI_DETECTOR_NAMES)).default([]),
    /** Regions whose national phone formats the phones detector reads (ISO 3166-1 alpha-2, GB for the UK). */
    phone_regions: z
      .array(
        z
          .string()
          .regex(/^[A-Z]{2}$/, 'a region is two capital letters (US, GB, AU ...)')
          .refine((r) => isSupportedCountry(r), 'not a region libphonenumber knows (ISO 3166 codes: the UK is GB)'),
      )
      .min(1)
      .default(DEFAULT_PHONE_REGIONS),
    patterns: z
      .array(
        z
          .object({
            type: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'types are UPPER_SNAKE_CASE'),
            regex: z.string().min(1),
            flags: z.string().regex(PATTERN_FLAGS, 'flags may be i, m and s').optional(),
            /** A second pattern the replaced part must match too (same flags). */
            require: z.string().min(1).optional(),
            /** A cheap pattern a text must contain for this one to be tried at all (same flags). */
            prefilter: z.string().min(1).optional(),
            description: z.string().optional(),
          })
          .strict()
          .superRefine((pattern, ctx) => {
            if (pattern.flags !== undefined && !PATTERN_FLAGS.test(pattern.flags)) return;
            for (const key of ['regex', 'require', 'prefilter'] as const) {
              const source = pattern[key];
              const problem = source === undefined ? undefined : patternProblem(source, pattern.flags);
              if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
            }
          }),
      )
      .default([]),
  })
  .strict()
  .refine((f) => f.detectors.length > 0 || f.patterns.length > 0, { message: 'a PII file needs detectors, patterns or both', path: ['patterns'] });

export type PiiPatternFile = z.infer<typeof piiPatternFileSchema> & { file: string };
