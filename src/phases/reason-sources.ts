import type { Pipeline } from '../config/load.js';
import type { Reason } from '../decisions/reasons-sql.js';
import { boilerplateSource } from './boilerplate.js';
import { exactDuplicateSource } from './exact-dedup.js';
import { nearDuplicateSource } from './near-dedup.js';
import type { DuplicateLinks, ReasonSource } from './reason-source.js';
import { badInputSource, ruleSource } from './rule-source.js';

/**
 * Every reason source, registered once, in the order a rejected row lists its reasons (so its
 * first is the primary one) and the manifest its rules: bad input, the rules as declared, exact
 * then near duplication, boilerplate-only documents. Adding a source is its module and a line here
 * (and its step in the phase table, which plans its input for decide).
 */
export const REASON_SOURCES: readonly ReasonSource[] = [badInputSource, ruleSource, exactDuplicateSource, nearDuplicateSource, boilerplateSource] as ReasonSource[];

/** The rules a pipeline's rejected rows can name, in order. */
export const reasonRules = (pipeline: Pipeline): string[] => REASON_SOURCES.flatMap((s) => s.rules(pipeline));

/** A source's own wording of one of its reasons, if it has one. */
export function explainBySource(reason: Reason, links: DuplicateLinks): string | undefined {
  for (const source of REASON_SOURCES) {
    const said = source.explain?.(reason, links);
    if (said !== undefined) return said;
  }
  return undefined;
}
