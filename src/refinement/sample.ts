import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { csvField, writeFileAtomic } from '../io/files.js';
import type { FinishedRun } from './finished-run.js';

export interface SampleOptions {
  size: number;
  seed: number;
  /** Output prefix: PREFIX.jsonl and PREFIX.csv. */
  out: string;
}

export interface SampleStratum {
  name: string;
  /** Documents of the run in the stratum. */
  documents: number;
  /** Sample rows this stratum chose (their `stratum` column). */
  chosen: number;
  /** Sample rows in the stratum, whichever stratum chose them (strata overlap: a kept medquad document is in three). */
  in_sample: number;
}

export interface SampleResult {
  run: string;
  documents: number;
  size: number;
  seed: number;
  kept: number;
  dropped: number;
  strata: SampleStratum[];
  files: { jsonl: string; csv: string };
}

/** One row of the review set, in column order. */
export interface SampleRow {
  id: string | null;
  key: string;
  source: string | null;
  kept: boolean;
  primary_reason: string | null;
  reasons: string;
  [score: string]: unknown;
}

/** Score bands of a model's probability: quarters, the last closed. */
const BANDS = ['0-0.25', '0.25-0.5', '0.5-0.75', '0.75-1'];

/** More distinct sources than this are grouped by the part before "/", as the run summary does. */
const SOURCE_GROUPING = 12;
/** Source strata beyond this many (after grouping) are pooled as "(other)": strata must stay fewer than a sample has rows. */
const MAX_SOURCE_STRATA = 24;

interface Reason {
  rule: string;
  op: string | null;
  value: string | null;
  threshold: string | null;
}

/** `rule: value vs op threshold`, as an annotator reads it. */
export function readableReasons(reasons: readonly Reason[] | null): string {
  return (reasons ?? [])
    .map((r) => `${r.rule}: ${r.value ?? 'null'}${r.threshold !== null && r.threshold !== undefined ? ` vs ${[r.op, r.threshold].filter((x) => x).join(' ')}` : ''}`)
    .join('; ');
}

/**
 * A stratified review set of a run's latest iteration. Strata overlap (kept, dropped, dropped by
 * each primary reason, each source, each model's score quarter); they take turns, each choosing
 * its next document in the order of md5(seed:key) that no stratum chose before, so the size is
 * shared evenly and a stratum with fewer documents than its share gives all it has. The same run
 * and seed give the same rows, in the same order (by stratum, then hash), byte for byte.
 */
export async function sampleRun(con: DuckDBConnection, run: FinishedRun, options: SampleOptions): Promise<SampleResult> {
  const { manifest, models } = run;
  const seed = sqlString(`${options.seed}:`);
  const bands = models.map(
    (m, i) => `CASE WHEN s.${sqlIdent(m)} IS NULL THEN NULL ELSE least(3, greatest(0, floor(s.${sqlIdent(m)} * 4)))::INTEGER END AS band_${i}`,
  );
  await con.run(`CREATE OR REPLACE TEMP TABLE sample_fates AS
    SELECT s.key, s.source, r.key IS NULL AS kept, r.primary_reason, md5(${seed} || s.key) AS h${bands.map((b) => `, ${b}`).join('')}
    FROM ${run.signals} s LEFT JOIN ${run.rejected} r ON r.key = s.key`);
  try {
    const sourceOf = await sourceStratum(con, manifest.config.resolved.input.columns.source !== undefined);
    const members = [
      `SELECT 'kept' AS stratum, key, h FROM sample_fates WHERE kept`,
      `SELECT 'dropped', key, h FROM sample_fates WHERE NOT kept`,
      `SELECT 'dropped:' || primary_reason, key, h FROM sample_fates WHERE NOT kept`,
      ...(sourceOf ? [`SELECT 'source:' || ${sourceOf}, key, h FROM sample_fates WHERE source IS NOT NULL`] : []),
      ...models.map(
        (m, i) => `SELECT ${sqlString(`${m}:`)} || ${sqlString('[')} || [${BANDS.map(sqlString).join(', ')}][band_${i} + 1] || ']', key, h FROM sample_fates WHERE band_${i} IS NOT NULL`,
      ),
    ];
    await con.run(`CREATE OR REPLACE TEMP TABLE sample_members AS ${members.join(' UNION ALL ')}`);
    const counts = await queryRows<{ stratum: string; documents: number }>(con, 'SELECT stratum, count(*) AS documents FROM sample_members GROUP BY stratum');
    const order = strataOrder(counts.map((c) => c.stratum), Object.keys(manifest.counts.rules), models);
    const strata = counts.sort((a, b) => order(a.stratum) - order(b.stratum));

    // A stratum chooses at most `size` rows and passes over at most `size` that others chose.
    const candidates = await queryRows<{ stratum: string; key: string; h: string }>(
      con,
      `SELECT stratum, key, h FROM (SELECT *, row_number() OVER (PARTITION BY stratum ORDER BY h, key) AS rank FROM sample_members)
       WHERE rank <= ${2 * options.size} ORDER BY stratum, rank`,
    );
    const queues = new Map<string, { key: string; h: string }[]>(strata.map((s) => [s.stratum, []]));
    for (const c of candidates) queues.get(c.stratum)!.push(c);
    const chosen = roundRobin(strata.map((s) => ({ name: s.stratum, queue: queues.get(s.stratum)! })), options.size);
    chosen.sort((a, b) => a.stratum - b.stratum || (a.h < b.h ? -1 : a.h > b.h ? 1 : a.key < b.key ? -1 : 1));

    await con.run('CREATE OR REPLACE TEMP TABLE sample_chosen (ord INTEGER, key VARCHAR, stratum VARCHAR)');
    const appender = await con.createAppender('sample_chosen');
    chosen.forEach((c, i) => {
      appender.appendInteger(i);
      appender.appendVarchar(c.key);
      appender.appendVarchar(strata[c.stratum]!.stratum);
      appender.endRow();
    });
    appender.closeSync();

    const inSample = new Map(
      (await queryRows<{ stratum: string; n: number }>(con, 'SELECT m.stratum, count(*) AS n FROM sample_members m SEMI JOIN sample_chosen c ON c.key = m.key GROUP BY ALL')).map((r) => [r.stratum, r.n]),
    );
    const rows = await queryRows<{ id: string | null; key: string; source: string | null; kept: boolean; primary_reason: string | null; reasons: Reason[] | null; stratum: string; text: string | null } & Record<string, unknown>>(
      con,
      `SELECT s.id, s.key, s.source, r.key IS NULL AS kept, r.primary_reason, r.reasons${models.map((m) => `, s.${sqlIdent(m)}`).join('')}, c.stratum, s.text
       FROM sample_chosen c JOIN ${run.signals} s ON s.key = c.key LEFT JOIN ${run.rejected} r ON r.key = c.key ORDER BY c.ord`,
    );
    const review: SampleRow[] = rows.map((r) => ({
      id: r.id,
      key: r.key,
      source: r.source,
      kept: r.kept,
      primary_reason: r.primary_reason,
      reasons: readableReasons(r.reasons),
      ...Object.fromEntries(models.map((m) => [m, r[m] ?? null])),
      stratum: r.stratum,
      text: r.text,
      label: '',
      note: '',
    }));
    const files = { jsonl: `${options.out}.jsonl`, csv: `${options.out}.csv` };
    const columns = ['id', 'key', 'source', 'kept', 'primary_reason', 'reasons', ...models, 'stratum', 'text', 'label', 'note'];
    writeFileAtomic(files.jsonl, review.map((r) => `${JSON.stringify(r, columns)}\n`).join(''));
    writeFileAtomic(files.csv, [columns, ...review.map((r) => columns.map((c) => cell(r[c])))].map((line) => `${line.map(csvField).join(',')}\r\n`).join(''));

    const perStratum = new Map<number, number>();
    for (const c of chosen) perStratum.set(c.stratum, (perStratum.get(c.stratum) ?? 0) + 1);
    const [totals] = await queryRows<{ documents: number; kept: number }>(con, 'SELECT count(*) AS documents, count(*) FILTER (WHERE kept) AS kept FROM sample_fates');
    const kept = review.filter((r) => r.kept).length;
    return {
      run: run.root,
      documents: totals!.documents,
      size: review.length,
      seed: options.seed,
      kept,
      dropped: review.length - kept,
      strata: strata.map((s, i) => ({ name: s.stratum, documents: s.documents, chosen: perStratum.get(i) ?? 0, in_sample: inSample.get(s.stratum) ?? 0 })),
      files,
    };
  } finally {
    await con.run('DROP TABLE IF EXISTS sample_fates; DROP TABLE IF EXISTS sample_members; DROP TABLE IF EXISTS sample_chosen');
  }
}

/**
 * The SQL of a document's source stratum: the source itself, or with many sources the part before
 * "/" (as the run summary groups them), the largest groups by name and the rest pooled.
 */
async function sourceStratum(con: DuckDBConnection, mapped: boolean): Promise<string | undefined> {
  if (!mapped) return undefined;
  const [{ distinct }] = (await queryRows<{ distinct: number }>(con, 'SELECT count(DISTINCT source) AS distinct FROM sample_fates')) as [{ distinct: number }];
  if (distinct === 0) return undefined;
  const group = distinct > SOURCE_GROUPING ? `split_part(source, '/', 1)` : 'source';
  const groups = await queryRows<{ g: string }>(con, `SELECT ${group} AS g, count(*) AS n FROM sample_fates WHERE source IS NOT NULL GROUP BY g ORDER BY n DESC, g`);
  if (groups.length <= MAX_SOURCE_STRATA) return group;
  const named = groups.slice(0, MAX_SOURCE_STRATA - 1).map((g) => sqlString(g.g));
  return `CASE WHEN ${group} IN (${named.join(', ')}) THEN ${group} ELSE '(other)' END`;
}

/** Strata in a fixed order: kept, dropped, dropped by each reason in the run's rule order, sources by name, each model's bands. */
function strataOrder(names: readonly string[], rules: readonly string[], models: readonly string[]): (name: string) => number {
  const rank = (name: string): [number, number, string] => {
    if (name === 'kept') return [0, 0, ''];
    if (name === 'dropped') return [1, 0, ''];
    if (name.startsWith('dropped:')) {
      const at = rules.indexOf(name.slice('dropped:'.length));
      return [2, at < 0 ? rules.length : at, name];
    }
    if (name.startsWith('source:')) return [3, 0, name];
    const colon = name.lastIndexOf(':');
    const model = models.indexOf(name.slice(0, colon));
    return [4 + model, BANDS.indexOf(name.slice(colon + 2, -1)), name];
  };
  const sorted = [...names].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
  });
  const index = new Map(sorted.map((n, i) => [n, i]));
  return (name) => index.get(name)!;
}

/** Strata take turns, each choosing its next document no stratum has chosen, until `size` are chosen or every stratum is exhausted. */
function roundRobin(strata: readonly { name: string; queue: readonly { key: string; h: string }[] }[], size: number): { stratum: number; key: string; h: string }[] {
  const taken = new Set<string>();
  const next = strata.map(() => 0);
  const chosen: { stratum: number; key: string; h: string }[] = [];
  let active = true;
  while (chosen.length < size && active) {
    active = false;
    for (let i = 0; i < strata.length && chosen.length < size; i++) {
      const queue = strata[i]!.queue;
      while (next[i]! < queue.length && taken.has(queue[next[i]!]!.key)) next[i]!++;
      if (next[i]! >= queue.length) continue;
      const doc = queue[next[i]!++]!;
      taken.add(doc.key);
      chosen.push({ stratum: i, key: doc.key, h: doc.h });
      active = true;
    }
  }
  return chosen;
}

/** A value as the CSV holds it: text as is, null as an empty field, anything else as JSON writes it. */
const cell = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled. */
const n = (x: number): string => x.toLocaleString('en-US');

export function formatSample(r: SampleResult): string {
  const width = Math.max(24, ...r.strata.map((s) => s.name.length));
  const missing = r.strata.filter((s) => s.in_sample === 0).length;
  const lines = [
    `winnow sample: ${n(r.size)} of ${n(r.documents)} documents of ${r.run} (seed ${r.seed}): ${n(r.kept)} kept, ${n(r.dropped)} dropped, ${r.strata.length} strata`,
    `  ${'stratum'.padEnd(width)} ${'documents'.padStart(10)} ${'chose'.padStart(6)} ${'in sample'.padStart(10)}`,
    ...r.strata.map((s) => `  ${s.name.padEnd(width)} ${n(s.documents).padStart(10)} ${n(s.chosen).padStart(6)} ${n(s.in_sample).padStart(10)}`),
    ...(missing > 0 ? [`  ${missing} strata have no row: a --size of at least ${r.strata.length} gives every stratum one`] : []),
    `  jsonl  ${r.files.jsonl}`,
    `  csv    ${r.files.csv}`,
    '  fill in label (keep or drop) and, if useful, note for each row',
  ];
  return lines.join('\n');
}
