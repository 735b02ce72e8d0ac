/** What every source kind's loader works with. */
import type { Draft, Drafts } from './draft.js';
import type { InputFile, LoadedSources } from './sources.js';

export interface SymptomMention {
  /** The disease whose definition names the symptom. */
  disease: string;
  phrase: string;
}

export interface BuildContext {
  sources: LoadedSources;
  drafts: Drafts;
  /** The files each source read, by source name, in the order read. */
  files: Map<string, InputFile[]>;
  /** The build's own account, by source name: written into the tree as `build`. */
  report: Record<string, Record<string, unknown>>;
  /** "has_symptom" phrases found in definitions, turned into symptom nodes after every source is loaded. */
  symptoms: SymptomMention[];
  /** The nodes each source added, by source name. */
  bySource: Map<string, Draft[]>;
}

/** Reads a file of source `index` named at `key`, and records it as one of the source's files. */
export function readFor(ctx: BuildContext, index: number, path: string, key: string): InputFile {
  const name = ctx.sources.spec.sources[index]!.name;
  const f = ctx.sources.read(path, `sources.${index}.${key}`);
  const list = ctx.files.get(name) ?? [];
  if (!list.includes(f)) list.push(f);
  ctx.files.set(name, list);
  return f;
}

export function addNode(ctx: BuildContext, d: Draft): Draft {
  ctx.drafts.add(d);
  const list = ctx.bySource.get(d.source) ?? [];
  list.push(d);
  ctx.bySource.set(d.source, list);
  return d;
}
