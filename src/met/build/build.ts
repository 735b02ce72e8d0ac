/**
 * `winnow met build`: compiles the sources file's ontologies into one tree file (docs/met.md,
 * "The tree: sources and build"). The output depends only on the input files' bytes: nodes sorted
 * by id, lists sorted, JSON without whitespace, gzip with no timestamp, so two builds of the same
 * inputs are byte-identical.
 */
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { MET_FORMAT, MET_FORMAT_VERSION, type ExcludedSynonym, type MetNode, type MetSource, type MetTreeFile, type NodeType } from '../tree.js';
import { BRANCHES, ROOT_OF, WINNOW_SOURCE } from './branches.js';
import type { BuildContext } from './context.js';
import { Drafts, Rank, type Draft } from './draft.js';
import { loadDoid } from './doid.js';
import { loadObo, loadTsvSource } from './generic.js';
import { loadMondoRare } from './mondo.js';
import { AmbiguousList, clearNameCaches, intrinsicExclusion, nameKey, parseAmbiguous } from './names.js';
import { loadSources, MetBuildError } from './sources.js';
import { materializeSymptoms } from './symptoms.js';

export interface BuiltTree {
  file: MetTreeFile;
  /** The tree as written: gzip-compressed JSON (or plain JSON with `gzip: false`). */
  bytes: Buffer;
  /** sha256 of `bytes`: what pipelines and manifests key on. */
  sha256: string;
  /** sha256 of the uncompressed JSON: the same whatever zlib compressed it. */
  json_sha256: string;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Compiles a tree from a sources file. Throws MetBuildError with a one-line message on bad input. */
export function buildMetTree(sourcesFile: string, options: { gzip?: boolean } = {}): BuiltTree {
  let file: MetTreeFile;
  try {
    file = compile(sourcesFile);
  } finally {
    clearNameCaches();
  }
  const json = Buffer.from(JSON.stringify(file), 'utf8');
  const bytes = options.gzip === false ? json : gzipFixed(json);
  return { file, bytes, sha256: sha256(bytes), json_sha256: sha256(json) };
}

function compile(sourcesFile: string): MetTreeFile {
  const sources = loadSources(sourcesFile);
  const ctx: BuildContext = { sources, drafts: new Drafts(), files: new Map(), report: {}, symptoms: [], bySource: new Map() };
  let symptomSource: string | undefined;
  sources.spec.sources.forEach((spec, i) => {
    switch (spec.kind) {
      case 'doid':
        loadDoid(spec, i, ctx);
        if (spec.symptoms) symptomSource ??= spec.name;
        break;
      case 'mondo-rare':
        loadMondoRare(spec, i, ctx);
        break;
      case 'obo':
        loadObo(spec, i, ctx);
        break;
      case 'tsv':
        loadTsvSource(spec, i, ctx);
        break;
    }
  });
  let ambiguous = new AmbiguousList([]);
  let ambiguousFile: { path: string; sha256: string } | undefined;
  if (sources.spec.ambiguous) {
    const f = sources.read(sources.spec.ambiguous, 'ambiguous');
    ambiguous = new AmbiguousList(parseAmbiguous(f.text));
    ambiguousFile = { path: f.path, sha256: f.sha256 };
  }
  if (symptomSource) materializeSymptoms(ctx, symptomSource, (name) => intrinsicExclusion(name, ambiguous) !== undefined);
  return finish(ctx, ambiguous, ambiguousFile);
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * gzip at level 9 with nothing that varies between runs: Node's zlib writes no file name and a
 * zero timestamp; the OS byte (which zlib sets from the platform it was compiled for) is fixed
 * to 3 (Unix) so Windows and macOS builds write the same header.
 */
export function gzipFixed(data: Uint8Array): Buffer {
  const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION, memLevel: 9, strategy: constants.Z_DEFAULT_STRATEGY });
  gz[4] = gz[5] = gz[6] = gz[7] = 0;
  gz[9] = 3;
  return gz;
}

/** Writes a built tree atomically (a temporary file beside it, then a rename). */
export function writeMetTree(path: string, built: BuiltTree): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, built.bytes);
  renameSync(tmp, path);
}

interface Holder {
  draft: Draft;
  rank: Rank;
  texts: string[];
}

function finish(ctx: BuildContext, ambiguous: AmbiguousList, ambiguousFile: { path: string; sha256: string } | undefined): MetTreeFile {
  const drafts = ctx.drafts;

  // Top nodes hang under their type's branch root; branch nodes exist when something hangs under them.
  for (const d of drafts.values()) if (d.parents.length === 0) d.parents = [ROOT_OF[d.type as Exclude<NodeType, 'branch'>]];
  const wanted = new Set<string>();
  for (const d of drafts.values()) for (const p of d.parents) if (!drafts.get(p)) wanted.add(p);
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of BRANCHES) {
      if (wanted.has(b.id) && b.parent && !wanted.has(b.parent) && !drafts.get(b.parent)) {
        wanted.add(b.parent);
        changed = true;
      }
    }
  }
  for (const b of BRANCHES) {
    if (!wanted.has(b.id) || drafts.get(b.id)) continue;
    drafts.add({ id: b.id, label: b.label, type: 'branch', parents: b.parent ? [b.parent] : [], rare: false, claims: [], xrefs: new Set(), source: WINNOW_SOURCE, where: 'winnow' });
  }
  for (const d of [...drafts.values()].sort((a, b) => byCodePoint(a.id, b.id))) {
    for (const p of d.parents) {
      if (!drafts.get(p)) throw new MetBuildError(`${d.where}: parent "${p}" of ${d.id} is no node of the tree`);
      if (p === d.id) throw new MetBuildError(`${d.where}: ${d.id} is its own parent`);
    }
  }

  // Depth: the shortest path to a root, breadth first from the roots.
  const children = new Map<string, string[]>();
  for (const d of drafts.values()) for (const p of d.parents) (children.get(p) ?? children.set(p, []).get(p)!).push(d.id);
  const depth = new Map<string, number>();
  let frontier = [...drafts.values()].filter((d) => d.parents.length === 0).map((d) => d.id);
  for (const id of frontier) depth.set(id, 0);
  for (let level = 1; frontier.length > 0; level++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const c of children.get(id) ?? []) {
        if (depth.has(c)) continue;
        depth.set(c, level);
        next.push(c);
      }
    }
    frontier = next;
  }
  const cut = [...drafts.values()].filter((d) => !depth.has(d.id)).sort((a, b) => byCodePoint(a.id, b.id));
  if (cut.length > 0) throw new MetBuildError(`${cut[0]!.where}: ${cut[0]!.id} reaches no root: its parents form a cycle (${cut.length} nodes are in or under one)`);

  // Ancestors, memoized, for telling related nodes that share a name from unrelated ones. A node
  // met again while its own ancestors are being gathered closes a cycle.
  const ancestors = new Map<string, Set<string>>();
  const open = new Set<string>();
  const ancestorsOf = (id: string): Set<string> => {
    const hit = ancestors.get(id);
    if (hit) return hit;
    const d = drafts.get(id)!;
    if (open.has(id)) throw new MetBuildError(`${d.where}: ${id} is its own ancestor: its parents form a cycle`);
    open.add(id);
    const set = new Set<string>();
    for (const p of d.parents) {
      set.add(p);
      for (const a of ancestorsOf(p)) set.add(a);
    }
    open.delete(id);
    ancestors.set(id, set);
    return set;
  };
  for (const d of drafts.values()) ancestorsOf(d.id);

  // Names: each claim is left out on its own (ambiguous, too short, no letters), or goes to the
  // pool of its key, where nodes that share a name are settled.
  const excluded: ExcludedSynonym[] = [];
  const exclude = (id: string, synonym: string, reason: string) => excluded.push({ id, synonym, reason });
  const pool = new Map<string, Map<string, Holder>>();
  for (const d of drafts.values()) {
    const seen = new Set<string>();
    for (const c of d.claims) {
      if (seen.has(c.text)) continue;
      seen.add(c.text);
      const why = c.dropped ?? intrinsicExclusion(c.text, ambiguous);
      if (why) {
        exclude(d.id, c.text, why);
        continue;
      }
      const key = nameKey(c.text);
      const holders = pool.get(key) ?? pool.set(key, new Map()).get(key)!;
      const h = holders.get(d.id);
      if (!h) holders.set(d.id, { draft: d, rank: c.rank, texts: [c.text] });
      else {
        h.rank = Math.min(h.rank, c.rank) as Rank;
        h.texts.push(c.text);
      }
    }
  }
  const kept = new Map<string, string[]>();
  const keep = (id: string, texts: string[]) => (kept.get(id) ?? kept.set(id, []).get(id)!).push(...texts);
  const shared = { names: 0, kept_by_label: 0, kept_by_ancestor: 0, kept_by_better_claim: 0, unrelated: 0 };
  for (const holders of pool.values()) {
    const hs = [...holders.values()];
    if (hs.length === 1) {
      keep(hs[0]!.draft.id, hs[0]!.texts);
      continue;
    }
    shared.names++;
    const best = Math.min(...hs.map((h) => h.rank));
    const top = hs.filter((h) => h.rank === best);
    let winner: Holder | undefined = top.length === 1 ? top[0] : undefined;
    if (!winner) winner = top.find((a) => top.every((h) => h === a || ancestorsOf(h.draft.id).has(a.draft.id)));
    if (winner) {
      keep(winner.draft.id, winner.texts);
      const w = winner.draft.id;
      const why = (h: Holder): string =>
        best === Rank.Label
          ? `shared: the label of ${w}`
          : ancestorsOf(h.draft.id).has(w)
            ? `shared: also a name of its ancestor ${w}`
            : `shared: a better-attested name of ${w}`;
      if (best === Rank.Label) shared.kept_by_label++;
      else if (top.length > 1) shared.kept_by_ancestor++;
      else shared.kept_by_better_claim++;
      for (const h of hs) if (h !== winner) for (const t of h.texts) exclude(h.draft.id, t, why(h));
    } else {
      shared.unrelated++;
      const ids = hs.map((h) => h.draft.id).sort(byCodePoint);
      for (const h of hs) {
        const others = ids.filter((i) => i !== h.draft.id);
        const why = `shared by unrelated nodes: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}`;
        for (const t of h.texts) exclude(h.draft.id, t, why);
      }
    }
  }

  const nodes: MetNode[] = [...drafts.values()]
    .sort((a, b) => byCodePoint(a.id, b.id))
    .map((d) => {
      const labelKey = nameKey(d.label);
      // One spelling per key (the first in code-point order), never the label's own.
      const byKey = new Map<string, string>();
      for (const t of [...(kept.get(d.id) ?? [])].sort(byCodePoint)) {
        const k = nameKey(t);
        if (k === labelKey || byKey.has(k)) continue;
        byKey.set(k, t);
      }
      const node: MetNode = {
        id: d.id,
        label: d.label,
        type: d.type,
        parents: [...d.parents].sort(byCodePoint),
        depth: depth.get(d.id)!,
        rare: d.rare,
        synonyms: [...byKey.values()].sort(byCodePoint),
        xrefs: [...d.xrefs].sort(byCodePoint),
        ...(d.definition !== undefined ? { definition: d.definition } : {}),
        source: d.source,
        ...(d.symptoms && d.symptoms.size > 0 ? { symptoms: [...d.symptoms].sort(byCodePoint) } : {}),
      };
      return node;
    });

  const uniqueExcluded = new Map<string, ExcludedSynonym>();
  for (const e of excluded) uniqueExcluded.set(`${e.id}\t${e.synonym}`, e);
  const excludedSorted = [...uniqueExcluded.values()].sort((a, b) => byCodePoint(a.id, b.id) || byCodePoint(a.synonym, b.synonym));

  const specs = ctx.sources.spec;
  const metSources: MetSource[] = specs.sources.map((s) => ({
    name: s.name,
    description: s.description,
    origin: s.origin,
    licence: s.licence,
    files: (ctx.files.get(s.name) ?? []).map((f) => ({ path: f.path, sha256: f.sha256 })),
  }));
  metSources.push({
    name: WINNOW_SOURCE,
    description: 'the branch roots winnow adds (diseases, anatomy, symptoms and signs, imaging modalities, rare disease not in DOID) and the list of ambiguous names',
    origin: 'winnow met build',
    licence: 'Apache-2.0',
    files: ambiguousFile ? [ambiguousFile] : [],
  });

  const count = <K extends string>(keyOf: (x: MetNode) => K | undefined): Record<string, number> => {
    const m: Record<string, number> = {};
    for (const n of nodes) {
      const k = keyOf(n);
      if (k !== undefined) m[k] = (m[k] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(m).sort(([a], [b]) => byCodePoint(a, b)));
  };
  const reasons: Record<string, number> = {};
  for (const e of excludedSorted) {
    const k = e.reason.slice(0, e.reason.indexOf(':') >= 0 ? e.reason.indexOf(':') : undefined);
    reasons[k] = (reasons[k] ?? 0) + 1;
  }
  const labelsExcluded = excludedSorted.filter((e) => drafts.get(e.id)?.label === e.synonym).length;
  const build: Record<string, unknown> = {
    nodes: nodes.length,
    by_type: count((n) => n.type),
    by_source: count((n) => n.source),
    rare: nodes.filter((n) => n.rare).length,
    rare_by_source: count((n) => (n.rare ? n.source : undefined)),
    max_depth: Math.max(...nodes.map((n) => n.depth)),
    with_several_parents: nodes.filter((n) => n.parents.length > 1).length,
    synonyms: nodes.reduce((s, n) => s + n.synonyms.length, 0),
    excluded: excludedSorted.length,
    excluded_by_reason: Object.fromEntries(Object.entries(reasons).sort(([a], [b]) => byCodePoint(a, b))),
    labels_excluded: labelsExcluded,
    shared_names: shared,
    sources: Object.fromEntries(Object.entries(ctx.report).sort(([a], [b]) => byCodePoint(a, b))),
  };
  return {
    format: MET_FORMAT,
    format_version: MET_FORMAT_VERSION,
    name: specs.name,
    build,
    sources: metSources,
    nodes,
    excluded: excludedSorted,
  };
}
