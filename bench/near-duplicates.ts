/**
 * Planted near-duplicates with known similarities, and how well near-dedup finds them.
 *
 * The generator takes real documents and writes, for some of them, variants made by the edits
 * near-copies have in the wild: scattered word substitutions (typos, templated names), inserted
 * and deleted sentences, reordered paragraphs, an appended footer. Every pair's similarity is the
 * exact Jaccard similarity of its 5-word shingle sets, words simplified as MinHash simplifies them
 * (src/dedup/minhash.ts), so the truth does not depend on the thing measured.
 *
 * The measurement runs the real pipeline (annotate, dedup, cluster, decide) and reports:
 *  - recall: planted pairs of Jaccard >= 0.9 whose two documents end in one cluster;
 *  - precision: pairs near-dedup linked (verified candidate pairs) whose exact Jaccard reaches
 *    the threshold, over all linked pairs (planted or not: real corpora have their own
 *    near-copies, and those count too);
 *  - the same for removals: each removed document against the keeper it names.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { tokenize } from '../src/text/tokenizer.js';

export interface PlantedDoc {
  id: string;
  text: string;
}

export interface PlantedPair {
  a: string;
  b: string;
  edit: string;
  jaccard: number;
}

export interface PlantedCorpus {
  docs: PlantedDoc[];
  pairs: PlantedPair[];
}

const simplify = (word: string): string =>
  word.toLowerCase().normalize('NFD').replace(/[\p{M}\p{P}\p{S}]/gu, '').replace(/\p{Nd}/gu, '0');

/** The 5-word shingles of a text, as MinHash sees its words. */
export function shingles(text: string, n = 5): Set<string> {
  const words = tokenize(text).toArray().map(simplify).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

type Random = () => number;

function seeded(seed: number): Random {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** The edits a variant is made with; each takes a text and returns its near-copy. */
function edits(random: Random, vocabulary: string[], sentences: string[]) {
  const words = (t: string) => t.split(' ');
  return {
    substitute: (rate: number) => (t: string) =>
      words(t)
        .map((w) => (random() < rate ? pick(random, vocabulary) : w))
        .join(' '),
    insert: (count: number) => (t: string) => {
      const parts = t.split(/(?<=[.!?])\s+/);
      for (let k = 0; k < count; k++) parts.splice(Math.floor(random() * (parts.length + 1)), 0, pick(random, sentences));
      return parts.join(' ');
    },
    remove: (share: number) => (t: string) => {
      const w = words(t);
      const span = Math.max(1, Math.round(w.length * share));
      const at = Math.floor(random() * Math.max(1, w.length - span));
      return [...w.slice(0, at), ...w.slice(at + span)].join(' ');
    },
    reorder: () => (t: string) => {
      const parts = t.split(/(?<=[.!?])\s+/);
      if (parts.length < 3) return t;
      const [moved] = parts.splice(Math.floor(random() * parts.length), 1);
      parts.splice(Math.floor(random() * (parts.length + 1)), 0, moved!);
      return parts.join(' ');
    },
    footer: () => (t: string) => `${t}\n\nThis page was last reviewed on ${1 + Math.floor(random() * 28)} March 2024. Contact us for more information.`,
  };
}

/**
 * Plants `variants` near-copies of each of the first `bases` texts with at least 80 words; the
 * other texts are background. Ids are `base-<i>`, `base-<i>-v<k>` and `doc-<i>`.
 */
export function plantNearDuplicates(texts: readonly string[], options: { bases: number; variants: number; background: number; seed: number }): PlantedCorpus {
  const random = seeded(options.seed);
  const long = texts.filter((t) => t.split(/\s+/).length >= 80);
  const vocabulary = [...new Set(long.slice(0, 2000).flatMap((t) => t.split(/\s+/)))].filter((w) => /^[a-z]{3,}$/.test(w));
  const sentences = long.slice(0, 2000).flatMap((t) => t.split(/(?<=[.!?])\s+/)).filter((s) => s.split(' ').length >= 6);
  const e = edits(random, vocabulary, sentences);
  const recipes: [string, (t: string) => string][] = [
    ['substitute 0.5%', e.substitute(0.005)],
    ['substitute 1%', e.substitute(0.01)],
    ['substitute 2%', e.substitute(0.02)],
    ['substitute 4%', e.substitute(0.04)],
    ['substitute 8%', e.substitute(0.08)],
    ['insert 1 sentence', e.insert(1)],
    ['insert 3 sentences', e.insert(3)],
    ['remove 5%', e.remove(0.05)],
    ['remove 15%', e.remove(0.15)],
    ['move a sentence', e.reorder()],
    ['footer', e.footer()],
    ['footer + substitute 2%', (t) => e.footer()(e.substitute(0.02)(t))],
  ];
  const docs: PlantedDoc[] = [];
  const pairs: PlantedPair[] = [];
  const bases = long.slice(0, options.bases);
  bases.forEach((base, i) => {
    const family: PlantedDoc[] = [{ id: `base-${i}`, text: base }];
    for (let k = 0; k < options.variants; k++) {
      const [name, edit] = recipes[(i * options.variants + k) % recipes.length]!;
      const variant = { id: `base-${i}-v${k}`, text: edit(base) };
      for (const other of family) pairs.push({ a: other.id, b: variant.id, edit: name, jaccard: -1 });
      family.push(variant);
    }
    docs.push(...family);
  });
  const rest = texts.filter((t) => !bases.includes(t)).slice(0, options.background);
  rest.forEach((text, i) => docs.push({ id: `doc-${i}`, text }));
  const sets = new Map(docs.filter((d) => d.id.startsWith('base-')).map((d) => [d.id, shingles(d.text)]));
  for (const p of pairs) p.jaccard = jaccard(sets.get(p.a)!, sets.get(p.b)!);
  // Shuffled, so copies land in different shards and in no particular order.
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return { docs, pairs };
}

export interface NearDedupQuality {
  documents: number;
  planted_pairs: number;
  /** Planted pairs of exact Jaccard >= 0.9 found in one cluster, over all such pairs. */
  recall_at_0_9: { found: number; pairs: number; recall: number };
  /** Found share of planted pairs by exact-Jaccard band, for the curve. */
  recall_by_jaccard: Record<string, { pairs: number; found: number }>;
  /** Linked pairs whose exact Jaccard reaches the threshold, over all linked pairs. */
  linked_precision: { linked: number; correct: number; precision: number };
  /** Removed documents whose exact Jaccard with their named keeper reaches the threshold. */
  removal_precision: { removed: number; correct: number; precision: number };
  threshold: number;
  seconds: number;
}

/** Runs the near-dedup pipeline on a planted corpus in `dir` and scores it against exact Jaccard. */
export async function measureNearDedup(corpus: PlantedCorpus, dir: string, options: { shards: number; workers: number; threshold?: number; partitions?: number }): Promise<NearDedupQuality> {
  const threshold = options.threshold ?? 0.8;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'shards'), { recursive: true });
  const con = await openEngine();
  await con.run('CREATE TABLE docs (id VARCHAR, text VARCHAR)');
  const per = Math.ceil(corpus.docs.length / options.shards);
  for (let s = 0; s < options.shards; s++) {
    const part = corpus.docs.slice(s * per, (s + 1) * per);
    const app = await con.createAppender('docs');
    for (const d of part) {
      app.appendVarchar(d.id);
      app.appendVarchar(d.text);
      app.endRow();
    }
    app.closeSync();
    await con.run(`COPY docs TO ${sqlString(join(dir, 'shards', `part-${s}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
    await con.run('DELETE FROM docs');
  }
  const pipelineFile = join(dir, 'near.yaml');
  writeFileSync(
    pipelineFile,
    [
      'name: near-dedup-quality',
      'input: { path: shards, columns: { text: text, id: id } }',
      'dedup:',
      '  exact: { enabled: false }',
      `  near: { enabled: true, threshold: ${threshold}, partitions: ${options.partitions ?? 2} }`,
      'output: { path: run }',
      `execution: { workers: ${options.workers} }`,
      '',
    ].join('\n'),
  );
  const started = performance.now();
  // The real command, as users run it (and usable from tests, which run TypeScript sources).
  const run = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'winnow.js'), 'run', pipelineFile, '--quiet'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`winnow run failed (${run.status}): ${run.stderr}`);
  const seconds = (performance.now() - started) / 1000;

  const runDir = join(dir, 'run');
  const keyToId = new Map(
    (await queryRows<{ key: string; id: string }>(con, `SELECT key, id FROM read_parquet(${sqlString(join(runDir, 'work', 'signals', '*', '*', '*.parquet'))})`)).map((r) => [r.key, r.id]),
  );
  const nodeId = (shard: number, row: number | bigint) => keyToId.get(`part-${shard}.parquet#${row}`)!;
  const removed = await queryRows<{ id: string; keeper_id: string; cluster: string }>(
    con,
    `SELECT id, duplicate_of_id AS keeper_id, near_cluster AS cluster FROM read_parquet(${sqlString(join(runDir, 'rejected', '*.parquet'))}) WHERE near_cluster IS NOT NULL`,
  );
  const clusterOf = new Map<string, string>();
  for (const r of removed) {
    clusterOf.set(r.id, r.cluster);
    clusterOf.set(r.keeper_id, r.cluster);
  }
  const linked = await queryRows<{ a_shard: number; a_row: bigint; b_shard: number; b_row: bigint }>(
    con,
    `SELECT DISTINCT a_shard, a_row, b_shard, b_row FROM read_parquet(${sqlString(join(runDir, 'work', 'dedup', 'near', 'pairs', '*.parquet'))})`,
  );
  con.closeSync();

  const texts = new Map(corpus.docs.map((d) => [d.id, d.text]));
  const cache = new Map<string, Set<string>>();
  const set = (id: string) => {
    let s = cache.get(id);
    if (!s) cache.set(id, (s = shingles(texts.get(id)!)));
    return s;
  };
  const sameCluster = (a: string, b: string) => clusterOf.has(a) && clusterOf.get(a) === clusterOf.get(b);
  const high = corpus.pairs.filter((p) => p.jaccard >= 0.9);
  const found = high.filter((p) => sameCluster(p.a, p.b)).length;
  const bands: Record<string, { pairs: number; found: number }> = {};
  for (const p of corpus.pairs) {
    const low = Math.floor(p.jaccard * 10) / 10;
    const band = p.jaccard === 1 ? '1.0' : `${low.toFixed(1)}-${(low + 0.1).toFixed(1)}`;
    const b = (bands[band] ??= { pairs: 0, found: 0 });
    b.pairs++;
    if (sameCluster(p.a, p.b)) b.found++;
  }
  const linkedCorrect = linked.filter((e) => jaccard(set(nodeId(e.a_shard, e.a_row)), set(nodeId(e.b_shard, e.b_row))) >= threshold).length;
  const removalCorrect = removed.filter((r) => jaccard(set(r.id), set(r.keeper_id)) >= threshold).length;
  return {
    documents: corpus.docs.length,
    planted_pairs: corpus.pairs.length,
    recall_at_0_9: { found, pairs: high.length, recall: high.length ? found / high.length : 1 },
    recall_by_jaccard: Object.fromEntries(Object.entries(bands).sort()),
    linked_precision: { linked: linked.length, correct: linkedCorrect, precision: linked.length ? linkedCorrect / linked.length : 1 },
    removal_precision: { removed: removed.length, correct: removalCorrect, precision: removed.length ? removalCorrect / removed.length : 1 },
    threshold,
    seconds,
  };
}
