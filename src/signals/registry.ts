import type { Pipeline } from '../config/load.js';
import type { SignalFamilyName } from '../config/pipeline.js';
import type { ColumnType } from '../io/parquet-writer.js';
import { badwordsFamily } from './badwords.js';
import { c4Family } from './c4.js';
import { coreFamily } from './core.js';
import { finewebFamily } from './fineweb.js';
import { gopherQualityFamily } from './gopher-quality.js';
import { gopherRepetitionFamily } from './gopher-repetition.js';
import { languageFamily } from './language.js';
import { minhashFamily } from './minhash.js';
import { modelFamily } from './model-score.js';
import { normalizeFamily } from './normalize-counts.js';
import { piiFamily } from './pii-counts.js';
import type { SignalFamily } from './signal.js';
import { urlFamily } from './url.js';

/** Every optional family by its name in `signals.families`. Adding one is a module and a line here. */
const OPTIONAL: Record<SignalFamilyName, (p: Pipeline) => SignalFamily> = {
  gopher_quality: () => gopherQualityFamily,
  gopher_repetition: () => gopherRepetitionFamily,
  c4: () => c4Family,
  c4_badwords: (p) => badwordsFamily(p.signals.badwords.language),
  fineweb: () => finewebFamily,
  language: (p) => languageFamily(p.signals.language),
  url: () => urlFamily,
};

/**
 * The signal families a pipeline computes, in column order: the core counts and hash, the
 * normalization repairs, PII counts when redaction is on, the families it lists, one score per
 * model of `signals.models`, then the MinHash signature when near-dedup is on.
 */
export function pipelineFamilies(pipeline: Pipeline): SignalFamily[] {
  const families = [coreFamily, normalizeFamily];
  if (pipeline.piiPatterns) families.push(piiFamily(redactedTypes(pipeline)));
  const wanted = new Set(pipeline.signals.families);
  for (const name of Object.keys(OPTIONAL) as SignalFamilyName[]) if (wanted.has(name)) families.push(OPTIONAL[name](pipeline));
  for (const model of pipeline.models) families.push(modelFamily(model));
  if (pipeline.dedup.near.enabled) families.push(minhashFamily(pipeline.dedup.near));
  return families;
}

export function redactedTypes(pipeline: Pipeline): string[] {
  const all = [...new Set(pipeline.piiPatterns?.patterns.map((p) => p.type) ?? [])];
  return pipeline.pii.types ? all.filter((t) => pipeline.pii.types!.includes(t)) : all;
}

/**
 * The columns of a signals file that rules may compare: every computed signal, plus the
 * document's url and source when the pipeline maps those columns.
 */
export function ruleColumns(pipeline: Pipeline): Map<string, ColumnType> {
  const columns = new Map<string, ColumnType>();
  for (const family of pipelineFamilies(pipeline)) for (const s of family.signals) columns.set(s.name, s.type);
  if (pipeline.input.columns.url) columns.set('url', 'VARCHAR');
  if (pipeline.input.columns.source) columns.set('source', 'VARCHAR');
  return columns;
}

/** The family that computes a signal, among every family winnow has: for "add it to signals.families". */
export function familyOfSignal(signal: string, pipeline: Pipeline): string | undefined {
  for (const name of Object.keys(OPTIONAL) as SignalFamilyName[]) {
    if (OPTIONAL[name](pipeline).signals.some((s) => s.name === signal)) return name;
  }
  return undefined;
}
