import type { Pipeline } from '../config/load.js';
import type { SignalFamilyName } from '../config/pipeline.js';
import { piiFileTypes } from '../config/phi-detectors.js';
import type { ColumnType } from '../io/parquet-writer.js';
import { badwordsFamily } from './badwords.js';
import { c4Family } from './c4.js';
import { coreFamily } from './core.js';
import { finewebFamily } from './fineweb.js';
import { gopherQualityFamily } from './gopher-quality.js';
import { gopherRepetitionFamily } from './gopher-repetition.js';
import { languageFamily } from './language.js';
import { metFamily } from './met.js';
import { minhashFamily } from './minhash.js';
import { modelFamily } from './model-score.js';
import { normalizeFamily } from './normalize-counts.js';
import { piiFamily } from './pii-counts.js';
import { INPUT_COLUMNS, type SignalFamily } from './signal.js';
import { urlFamily } from './url.js';

/**
 * A family's place in the registry: when a pipeline computes it, and how it is made from the
 * pipeline. `optional` families run when `signals.families` names them (the compiler holds these
 * names to the config's SIGNAL_FAMILIES, both ways); the others run when `when` says, or always.
 */
type Registration =
  | { optional: SignalFamilyName; make(p: Pipeline): SignalFamily; scored?: undefined }
  | { optional?: undefined; when?(p: Pipeline): boolean; make(p: Pipeline): SignalFamily | readonly SignalFamily[]; scored?: true };

// Generic in the name, so that REGISTRY's type keeps each literal for the check below.
const optional = <N extends SignalFamilyName>(name: N, make: (p: Pipeline) => SignalFamily) => ({ optional: name, make }) as const;

/**
 * Every family, in column order. Adding one is its module (`defineFamily`, src/signals/signal.ts)
 * and a line here; an optional one's name also goes in SIGNAL_FAMILIES (src/config/pipeline.ts),
 * where pipelines are validated. What a family needs (the C4 or PII pass, the url column) it
 * declares itself: the annotator reads it from there.
 */
const REGISTRY = [
  { make: () => coreFamily },
  { make: () => normalizeFamily },
  { when: (p) => p.piiPatterns !== undefined, make: (p) => piiFamily(redactedTypes(p)) },
  optional('gopher_quality', () => gopherQualityFamily),
  optional('gopher_repetition', () => gopherRepetitionFamily),
  optional('c4', () => c4Family),
  optional('c4_badwords', (p) => badwordsFamily(p.signals.badwords.language)),
  optional('fineweb', (p) => finewebFamily(p.signals.fineweb.definition)),
  optional('language', (p) => languageFamily(p.signals.language)),
  optional('url', () => urlFamily),
  optional('met', (p) => metFamily(p.metTree)),
  // Computed by the score phase (src/phases/score.ts), into files of their own, not by annotate.
  { make: (p) => p.models.map(modelFamily), scored: true },
  { when: (p) => p.dedup.near.enabled, make: (p) => minhashFamily(p.dedup.near) },
] as const satisfies readonly Registration[];

// Every name a pipeline may list has a family: a name in SIGNAL_FAMILIES without one fails here.
type Registered = Extract<(typeof REGISTRY)[number], { optional: string }>['optional'];
const everyOptionalRegistered: [SignalFamilyName] extends [Registered] ? true : never = true;
void everyOptionalRegistered;

/** The signal families a pipeline computes, in column order (REGISTRY's): annotate's, then the model scores. */
export function pipelineFamilies(pipeline: Pipeline): SignalFamily[] {
  return registered(pipeline, () => true);
}

/** The families annotate measures into the signals files: all but the model scores, which the score phase computes. */
export function annotateFamilies(pipeline: Pipeline): SignalFamily[] {
  return registered(pipeline, (r) => !r.scored);
}

function registered(pipeline: Pipeline, include: (r: Registration) => boolean): SignalFamily[] {
  const wanted = new Set(pipeline.signals.families);
  const families: SignalFamily[] = [];
  for (const r of REGISTRY as readonly Registration[]) {
    const on = r.optional !== undefined ? wanted.has(r.optional) : (r.when?.(pipeline) ?? true);
    if (on && include(r)) families.push(...[r.make(pipeline)].flat());
  }
  return families;
}

export function redactedTypes(pipeline: Pipeline): string[] {
  const all = pipeline.piiPatterns ? piiFileTypes(pipeline.piiPatterns) : [];
  return pipeline.pii.types ? all.filter((t) => pipeline.pii.types!.includes(t)) : all;
}

/**
 * The columns of a signals file that rules may compare: every computed signal, plus the input
 * columns the signals file carries (url, source) when the pipeline maps them.
 */
export function ruleColumns(pipeline: Pipeline): Map<string, ColumnType> {
  const columns = new Map<string, ColumnType>();
  for (const family of pipelineFamilies(pipeline)) for (const s of family.signals) columns.set(s.name, s.type);
  for (const input of INPUT_COLUMNS) if (pipeline.input.columns[input]) columns.set(input, 'VARCHAR');
  return columns;
}

/** The family that computes a signal, among every optional family winnow has: for "add it to signals.families". */
export function familyOfSignal(signal: string, pipeline: Pipeline): string | undefined {
  for (const r of REGISTRY as readonly Registration[]) {
    if (r.optional !== undefined && r.make(pipeline).signals.some((s) => s.name === signal)) return r.optional;
  }
  return undefined;
}
