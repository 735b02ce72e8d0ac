/**
 * The Medical Entity Tree: one hierarchy of diseases, anatomy, symptoms and imaging modalities,
 * compiled by `winnow met build` (src/met/build/) from open ontologies into one JSON file that
 * workers load whole. Node ids are the source ontology's own ("DOID:1612", "UBERON:0002107");
 * the few nodes winnow adds (branch roots, the "rare disease, not in DOID" branch) use "MET:".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const MET_FORMAT = 'winnow-met';
/** Raised when the file's shape changes; a loader refuses other versions with a message. */
export const MET_FORMAT_VERSION = 1;

export type NodeType = 'disease' | 'anatomy' | 'symptom' | 'modality' | 'branch';

export interface MetNode {
  id: string;
  label: string;
  type: NodeType;
  /** Ids of the parents; two or more where the ontology has them (49 DOID terms do). Roots have none. */
  parents: string[];
  /** Length of the shortest path to a root (roots are 0). */
  depth: number;
  /** A rare disease: in DOID's rare-disease slim, or from MONDO's rare-disease list. */
  rare: boolean;
  /** Names the tagger matches besides the label (exact and related synonyms, minus those excluded). */
  synonyms: string[];
  /** Cross-references kept for the gap report: MESH:, ICD10CM:, ORDO: (Orphanet), GARD:, UMLS_CUI:, MONDO:. */
  xrefs: string[];
  definition?: string;
  /** Which entry of `sources` the node came from. */
  source: string;
  /**
   * The symptoms a disease's definition names ("has_symptom fever"): ids of symptom nodes, or of
   * the node a symptom already is (DOID:2355 anemia). Only on diseases whose definition has some.
   */
  symptoms?: string[];
}

export interface MetSource {
  /** Short name ("doid", "mondo-rare", "uberon"), what `MetNode.source` refers to. */
  name: string;
  description: string;
  /** Where it came from: repository and commit, or a URL, and the data version when it has one. */
  origin: string;
  licence: string;
  /** The input files, each with its sha256, so a tree says exactly what it was built from. */
  files: { path: string; sha256: string }[];
}

/**
 * A name left out of matching, and why: `<category>: <detail>`, the category one of "ambiguous
 * word", "too short", "number", "shared" (another node keeps it) and "shared by unrelated nodes".
 * `synonym` may be the node's label: then the label is not matched either (see `MetTree.names`).
 */
export interface ExcludedSynonym {
  id: string;
  synonym: string;
  reason: string;
}

export interface MetTreeFile {
  format: typeof MET_FORMAT;
  format_version: number;
  name: string;
  /** The build's own account: counts per source and where MONDO's rare diseases went. */
  build: Record<string, unknown>;
  sources: MetSource[];
  /** Sorted by id, so the file is byte-identical for the same inputs. */
  nodes: MetNode[];
  excluded: ExcludedSynonym[];
}

/** A loaded tree, with the indexes every user needs. */
export class MetTree {
  readonly byId: ReadonlyMap<string, MetNode>;
  readonly children: ReadonlyMap<string, readonly string[]>;

  constructor(
    readonly file: MetTreeFile,
    /** sha256 of the file's bytes as stored: what configs, manifests and markers key on. */
    readonly hash: string,
  ) {
    const byId = new Map<string, MetNode>();
    for (const n of file.nodes) byId.set(n.id, n);
    const children = new Map<string, string[]>();
    for (const n of file.nodes) {
      for (const p of n.parents) {
        const list = children.get(p);
        if (list) list.push(n.id);
        else children.set(p, [n.id]);
      }
    }
    this.byId = byId;
    this.children = children;
    const labelOut = new Set<string>();
    for (const e of file.excluded ?? []) if (byId.get(e.id)?.label === e.synonym) labelOut.add(e.id);
    this.labelExcluded = labelOut;
  }

  private readonly labelExcluded: ReadonlySet<string>;

  /**
   * The names a tagger matches for a node: its label (unless the build excluded it, as an
   * ambiguous word or a name another node keeps) and its synonyms. None for branch nodes.
   */
  names(id: string): string[] {
    const n = this.byId.get(id);
    if (!n || n.type === 'branch') return [];
    return this.labelExcluded.has(id) ? [...n.synonyms] : [n.label, ...n.synonyms];
  }

  get nodes(): readonly MetNode[] {
    return this.file.nodes;
  }

  /** Every ancestor of a node (each once, whatever number of paths lead to it), not the node itself. */
  ancestors(id: string): string[] {
    const seen = new Set<string>();
    const stack = [...(this.byId.get(id)?.parents ?? [])];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...(this.byId.get(p)?.parents ?? []));
    }
    return [...seen].sort();
  }

  /** A node and every node under it. */
  descendants(id: string): string[] {
    const seen = new Set<string>([id]);
    const stack = [id];
    while (stack.length > 0) {
      for (const c of this.children.get(stack.pop()!) ?? []) {
        if (!seen.has(c)) {
          seen.add(c);
          stack.push(c);
        }
      }
    }
    return [...seen].sort();
  }

  isLeaf(id: string): boolean {
    return !this.children.has(id);
  }
}

export class MetFormatError extends Error {}

/** Parses a tree file's bytes (gzip or plain JSON), checking its format. */
export function parseMetTree(bytes: Uint8Array, where: string): MetTree {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const gz = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let file: MetTreeFile;
  try {
    file = JSON.parse((gz ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8')) as MetTreeFile;
  } catch {
    throw new MetFormatError(`${where}: not an entity tree (neither JSON nor gzip-compressed JSON); build one with \`winnow met build\``);
  }
  if (file?.format !== MET_FORMAT) throw new MetFormatError(`${where}: not an entity tree (no "format": "${MET_FORMAT}"); build one with \`winnow met build\``);
  if (file.format_version !== MET_FORMAT_VERSION) {
    throw new MetFormatError(`${where}: entity tree format version ${String(file.format_version)}, this winnow reads version ${MET_FORMAT_VERSION}; rebuild it with \`winnow met build\``);
  }
  return new MetTree(file, hash);
}

export function loadMetTree(path: string): MetTree {
  return parseMetTree(readFileSync(path), path);
}
