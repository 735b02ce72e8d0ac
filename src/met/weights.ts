/**
 * Balancing weights: a `weight` for every kept document that flattens how often the entity tree's
 * nodes appear, so rare diseases are not drowned by common ones when a trainer samples by weight.
 *
 * Temperature sampling over node frequencies: with f(n) the kept documents that mention node n,
 * sampling node n in proportion to f(n)^T (T = 1: as the corpus is; T -> 0: every node alike)
 * means giving each of its documents f(n)^(T-1). A document mentions several nodes; it takes the
 * weight of its rarest one, g(d) = min f(n) over the nodes it mentions, so a document is never
 * pulled down by a common word beside a rare disease. Weights are then scaled by one factor Z and
 * clipped to [min_weight, max_repeat]:
 *
 *     weight(d) = clip(Z * g(d)^(T-1), min_weight, max_repeat)
 *
 * with Z chosen so that the mean weight of documents with entities is 1: the corpus keeps its size
 * (in documents) while mass moves from the head to the tail; no document is repeated more than
 * max_repeat times, and the head is downsampled to no less than min_weight. Documents that mention
 * no node weigh 1. Z is found by bisection over the histogram of g (integers), in a fixed order,
 * so it is the same number on every run.
 */

export interface WeightSettings {
  temperature: number;
  max_repeat: number;
  min_weight: number;
}

/** How many kept documents have each rarest-node frequency g. */
export type Histogram = readonly { g: number; documents: number }[];

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The raw weight of a document whose rarest node appears in g kept documents. */
export const rawWeight = (g: number, temperature: number): number => Math.pow(g, temperature - 1);

/**
 * The scale Z that makes the mean clipped weight 1. It always exists: the mean runs from
 * min_weight (<= 1) to max_repeat (>= 1) as Z grows, continuously and without decreasing.
 */
export function solveScale(histogram: Histogram, s: WeightSettings): number {
  const bins = [...histogram].sort((a, b) => a.g - b.g);
  const total = bins.reduce((a, b) => a + b.documents, 0);
  if (total === 0) return 1;
  const mean = (z: number) => bins.reduce((a, b) => a + b.documents * clip(z * rawWeight(b.g, s.temperature), s.min_weight, s.max_repeat), 0) / total;
  const raws = bins.map((b) => rawWeight(b.g, s.temperature));
  // Below lo every weight is clipped to min_weight, above hi every weight to max_repeat.
  let lo = s.min_weight / Math.max(...raws);
  let hi = s.max_repeat / Math.min(...raws);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mean(mid) < 1) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** SQL for the weight from an expression for g (the rarest node's frequency; NULL for a document with no node). */
export function weightSql(g: string, scale: number, s: WeightSettings): string {
  return `CASE WHEN ${g} IS NULL THEN 1.0::DOUBLE ELSE least(${s.max_repeat}::DOUBLE, greatest(${s.min_weight}::DOUBLE, ${scale}::DOUBLE * pow(${g}::DOUBLE, ${s.temperature - 1}::DOUBLE))) END`;
}

/** The distribution of node mass (documents, or weights, per node) as coverage reports it before and after weighting. */
export interface Distribution {
  /** Share of the mass on rare diseases. */
  tail_share: number;
  /** exp(entropy) of the mass over nodes: how many equally used nodes would spread it as evenly. */
  effective_nodes: number;
  /** Share of the mass on the top 1% of nodes. */
  top1_share: number;
}

export function distribution(mass: readonly { rare: boolean; mass: number }[]): Distribution {
  const total = mass.reduce((a, b) => a + b.mass, 0);
  if (total === 0) return { tail_share: 0, effective_nodes: 0, top1_share: 0 };
  let entropy = 0;
  for (const m of mass) if (m.mass > 0) entropy -= (m.mass / total) * Math.log(m.mass / total);
  const sorted = mass.map((m) => m.mass).sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(mass.length * 0.01));
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    tail_share: r(mass.filter((m) => m.rare).reduce((a, b) => a + b.mass, 0) / total),
    effective_nodes: r(Math.exp(entropy)),
    top1_share: r(sorted.slice(0, k).reduce((a, b) => a + b, 0) / total),
  };
}

/** The column curated rows get when balancing is on. */
export const WEIGHT_COLUMN = 'weight';

/**
 * For decide: a join onto the shard's signals (alias `s`) giving each document its rarest node's
 * frequency (`mw.g`) from the run's per-node counts (met/nodes.parquet, direct kept documents),
 * and the weight column from it; exactly coverage's formula, with coverage's scale.
 */
export function curatedWeight(nodesFile: string, scale: number, s: WeightSettings): { join: string; column: string } {
  const file = `'${nodesFile.replaceAll("'", "''")}'`;
  return {
    join: ` LEFT JOIN (SELECT x.key, min(f.docs_after) AS g FROM (SELECT key, unnest(met_nodes) AS node FROM sig) x
      JOIN read_parquet(${file}) f ON f.id = x.node GROUP BY x.key) mw ON mw.key = s.key`,
    column: `${weightSql('mw.g', scale, s)} AS ${WEIGHT_COLUMN}`,
  };
}
