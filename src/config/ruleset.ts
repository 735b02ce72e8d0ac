import { z } from 'zod';

export const COMPARISONS = ['>=', '>', '<=', '<', '==', '!=', 'in', 'not_in'] as const;
export type Comparison = (typeof COMPARISONS)[number];

const scalar = z.union([z.number(), z.string(), z.boolean()]);

/**
 * One rule: the condition a document must satisfy to be kept, over one signal column.
 * `{signal: word_count, op: '>=', threshold: 50}` keeps documents with 50 words or more.
 */
export const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'rule names are snake_case: letters, digits and _'),
    signal: z.string().min(1),
    op: z.enum(COMPARISONS),
    threshold: z.union([scalar, z.array(scalar).min(1)]),
    description: z.string().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
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

export const ruleSetSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    rules: z.array(ruleSchema),
  })
  .strict();

export type Rule = z.infer<typeof ruleSchema>;
export type RuleSet = z.infer<typeof ruleSetSchema> & { file: string };
