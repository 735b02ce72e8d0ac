import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readableValue as readable } from '../decisions/reasons-sql.js';
import { queryRows, sqlFileList, sqlString } from '../io/duckdb.js';
import type { RunLayout } from '../io/layout.js';
import { runSignalsSql } from '../phases/signals-sql.js';
import { iterationOutputs } from '../audit/iteration.js';
import { RefineError } from './refine.js';

/** A reason as rejected rows hold it. */
interface Reason {
  rule: string;
  signal: string | null;
  op: string | null;
  value: string | null;
  threshold: string | null;
}

export interface ChangedExample {
  id: string | null;
  key: string;
  source: string | null;
  /** The reasons it was dropped for: in B for a newly dropped document, in A for a newly kept one. */
  reasons: Reason[];
}

export interface RuleChange {
  rule: string;
  /** Newly dropped documents whose primary reason in B is this rule; newly kept ones whose primary reason in A was. */
  documents: number;
  by_source: Record<string, number>;
  examples: ChangedExample[];
}

export interface IterationDiff {
  run: string;
  a: number;
  b: number;
  documents: number;
  /** Kept in A, dropped in B, grouped by B's primary reason. */
  newly_dropped: { total: number; rules: RuleChange[] };
  /** Dropped in A, kept in B, grouped by A's primary reason. */
  newly_kept: { total: number; rules: RuleChange[] };
  /** Dropped in both, for another primary reason. */
  reason_changed: { total: number; moves: { from: string; to: string; documents: number }[] };
  kept: { a: number; b: number };
}

/**
 * The documents whose fate differs between two iterations of a run, by key: each iteration's
 * rejected rows say what it dropped and why; the signals files list every document (a skipped
 * shard's are in neither). Grouped by the rule that made the difference, with examples.
 */
export async function diffIterations(con: DuckDBConnection, layout: RunLayout, a: number, b: number, examples = 3): Promise<IterationDiff> {
  const [ra, rb] = [await iterationOutputs(layout, a), await iterationOutputs(layout, b)];
  const docs = runSignalsSql(layout.root, []);
  if (!docs) throw new RefineError(`${layout.root} has no signals (work/signals/): was it removed?`);
  const rejected = (prefix: string, files: readonly { path: string }[]) =>
    files.length === 0
      ? `(SELECT NULL::VARCHAR AS key, NULL AS reasons WHERE false)`
      : `(SELECT key, reasons FROM read_parquet(${sqlFileList(files.map((f) => join(layout.root, prefix, f.path)))}))`;
  await con.run(`CREATE OR REPLACE TEMP TABLE fates AS
    SELECT d.key, d.id, d.source, ra.reasons AS ra, rb.reasons AS rb
    FROM (SELECT key, id, source, shard, "row" FROM ${docs}) d
    LEFT JOIN ${rejected(ra.prefix, ra.manifest.outputs.rejected)} ra ON ra.key = d.key
    LEFT JOIN ${rejected(rb.prefix, rb.manifest.outputs.rejected)} rb ON rb.key = d.key
    ORDER BY d.shard, d."row"`);
  try {
    const [totals] = await queryRows<{ documents: number; kept_a: number; kept_b: number }>(
      con,
      'SELECT count(*) AS documents, count(*) FILTER (WHERE ra IS NULL) AS kept_a, count(*) FILTER (WHERE rb IS NULL) AS kept_b FROM fates',
    );
    const group = async (where: string, reasons: 'ra' | 'rb') => {
      const rows = await queryRows<{ rule: string; source: string | null; n: number }>(
        con,
        `SELECT ${reasons}[1].rule AS rule, source, count(*) AS n FROM fates WHERE ${where} GROUP BY ALL ORDER BY rule, source NULLS LAST`,
      );
      const rules = new Map<string, RuleChange>();
      for (const r of rows) {
        const change = rules.get(r.rule) ?? { rule: r.rule, documents: 0, by_source: {}, examples: [] };
        change.documents += r.n;
        change.by_source[r.source ?? '(none)'] = r.n;
        rules.set(r.rule, change);
      }
      for (const change of rules.values()) {
        change.examples = await queryRows<ChangedExample>(
          con,
          `SELECT id, key, source, [struct_pack(rule := x.rule, signal := x.signal, op := x.op, value := x.value, threshold := x.threshold) FOR x IN ${reasons}] AS reasons
           FROM fates WHERE ${where} AND ${reasons}[1].rule = ${sqlString(change.rule)} LIMIT ${examples}`,
        );
      }
      const sorted = [...rules.values()].sort((x, y) => y.documents - x.documents || (x.rule < y.rule ? -1 : 1));
      return { total: sorted.reduce((t, r) => t + r.documents, 0), rules: sorted };
    };
    const moves = await queryRows<{ from: string; to: string; documents: number }>(
      con,
      `SELECT ra[1].rule AS "from", rb[1].rule AS "to", count(*) AS documents FROM fates
       WHERE ra IS NOT NULL AND rb IS NOT NULL AND ra[1].rule <> rb[1].rule GROUP BY ALL ORDER BY documents DESC, 1, 2`,
    );
    return {
      run: layout.root,
      a,
      b,
      documents: totals!.documents,
      newly_dropped: await group('ra IS NULL AND rb IS NOT NULL', 'rb'),
      newly_kept: await group('ra IS NOT NULL AND rb IS NULL', 'ra'),
      reason_changed: { total: moves.reduce((t, m) => t + m.documents, 0), moves },
      kept: { a: totals!.kept_a, b: totals!.kept_b },
    };
  } finally {
    await con.run('DROP TABLE IF EXISTS fates');
  }
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number, of: number) => (of > 0 ? `${((100 * x) / of).toFixed(1)}%` : '-');

const reasonText = (r: Reason) =>
  r.signal && r.op && r.value !== null && r.threshold !== null
    ? `${r.rule}: ${r.signal} ${readable(r.value)}, needs ${r.op} ${r.threshold}`
    : `${r.rule}${r.value !== null ? `: ${readable(r.value)}` : ''}`;

export function formatDiff(d: IterationDiff): string {
  const lines = [
    `iterations ${d.a} -> ${d.b} of ${d.run}: ${n(d.documents)} documents; kept ${n(d.kept.a)} -> ${n(d.kept.b)}`,
    `  newly dropped ${n(d.newly_dropped.total)}, newly kept ${n(d.newly_kept.total)} (${pct(d.newly_dropped.total + d.newly_kept.total, d.documents)} of documents changed fate); ` +
      `${n(d.reason_changed.total)} dropped in both for another primary reason`,
  ];
  const section = (title: string, group: IterationDiff['newly_dropped'], by: string) => {
    if (group.total === 0) return;
    lines.push('', `${title} (by ${by}):`);
    for (const r of group.rules) {
      const sources = Object.entries(r.by_source).map(([s, c]) => `${s} ${n(c)}`).join(', ');
      lines.push(`  ${r.rule.padEnd(28)} ${n(r.documents).padStart(7)}   ${sources}`);
      for (const e of r.examples) lines.push(`      e.g. ${e.id ?? e.key}: ${e.reasons.map(reasonText).join('; ')}`);
    }
  };
  section('newly dropped', d.newly_dropped, `the primary reason in iteration ${d.b}`);
  section('newly kept', d.newly_kept, `the primary reason it was dropped for in iteration ${d.a}`);
  if (d.reason_changed.moves.length > 0) {
    lines.push('', 'dropped in both, primary reason moved:');
    for (const m of d.reason_changed.moves.slice(0, 10)) lines.push(`  ${m.from} -> ${m.to}: ${n(m.documents)}`);
  }
  return lines.join('\n');
}
