/**
 * Nodes while a tree is being built: names are still claims (with a rank saying how much the
 * source vouches for them), parents may still point at labels' ids in other sources, and xrefs
 * are sets. `finish` in build.ts turns drafts into `MetNode`s.
 */
import type { NodeType } from '../tree.js';
import { cleanName } from './names.js';
import { MetBuildError } from './sources.js';

/**
 * How much a name is vouched for, best first. When nodes share a name, the best claim keeps it:
 * a node's label beats a curated synonym, which beats a derived one.
 */
export const Rank = {
  Label: 0,
  /** EXACT synonyms, synonyms of a project TSV, a label without its qualifier. */
  Curated: 1,
  /** RELATED rewordings, MONDO's untyped synonyms. */
  Derived: 2,
} as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

export interface Claim {
  text: string;
  rank: Rank;
  /** Set when the name is left out whatever other nodes say (a qualifier it cannot lose): the reason. */
  dropped?: string;
}

/** A name as a claim, cleaned of coding qualifiers (names.ts); undefined when nothing is left. */
export function nameClaim(raw: string, rank: Rank, counts?: Record<string, number>): Claim | undefined {
  const c = cleanName(raw);
  if (c.changed && counts) counts.names_cleaned = (counts.names_cleaned ?? 0) + 1;
  if (c.dropped) return { text: raw.replace(/\s+/g, ' ').trim(), rank, dropped: c.dropped };
  return c.text === '' ? undefined : { text: c.text, rank };
}

export interface Draft {
  id: string;
  label: string;
  type: NodeType;
  parents: string[];
  rare: boolean;
  claims: Claim[];
  xrefs: Set<string>;
  definition?: string;
  source: string;
  /** Symptom nodes a disease's definition names (has_symptom). */
  symptoms?: Set<string>;
  /** Where the node was read ("fixtures/met/modalities.tsv: line 4"), for messages. */
  where: string;
}

export class Drafts {
  readonly byId = new Map<string, Draft>();

  add(d: Draft): Draft {
    const prior = this.byId.get(d.id);
    if (prior) throw new MetBuildError(`${d.where}: node ${d.id} is already defined by source "${prior.source}" (${prior.where})`);
    this.byId.set(d.id, d);
    return d;
  }

  get(id: string): Draft | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<Draft> {
    return this.byId.values();
  }
}

/** Keeps the xrefs whose prefix is listed ("MESH:D004194" with MESH). */
export function keepXref(xref: string, prefixes: readonly string[]): boolean {
  const colon = xref.indexOf(':');
  return colon > 0 && prefixes.includes(xref.slice(0, colon));
}

/** A definition as configured: kept, dropped, or cut at a word boundary to at most `max` characters. */
export function definitionOf(def: string | undefined, setting: boolean | number | undefined): string | undefined {
  if (def === undefined || setting === false) return undefined;
  const text = def.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  if (typeof setting !== 'number' || text.length <= setting) return text;
  const cut = text.slice(0, setting);
  const space = cut.lastIndexOf(' ');
  return `${(space > setting / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
