import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Reason } from '../decisions/reasons-sql.js';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import { CURATED_KEY_COLUMN } from '../phases/decide.js';
import { runSignalsSql } from '../phases/signals-sql.js';
import { cut } from './inspect.js';
import { iterationOutputs } from './iteration.js';

export interface AuditOptions {
  /** Dropped documents with this reason among theirs (or as their primary one, with `primary`). */
  reason?: string;
  primary?: boolean;
  /** Documents of this source, or of its sub-sources (`udhr` matches `udhr/fr`). */
  source?: string;
  /** Kept documents instead of dropped ones. */
  kept?: boolean;
  sample: number;
  seed: number;
  /** An earlier iteration of a refined run (its outputs under iterations/<n>/); the latest by default. */
  iteration?: number;
}

export interface AuditedDocument {
  outcome: 'kept' | 'dropped';
  id: string | null;
  key: string;
  source: string | null;
  primary_reason?: string;
  reasons?: Reason[];
  /** A duplicate's kept copy (its key), when dedup dropped it. */
  duplicate_of?: string | null;
  /** Dropped: the final text annotate measured; kept: the text as curated (boilerplate removed). */
  text: string | null;
}

export interface Audit {
  run: string;
  /** The documents that match the filters, of which `documents` is the sample. */
  matching: number;
  documents: AuditedDocument[];
}

/**
 * A sample of a finished run's dropped (or kept) documents, with every reason, its value and
 * threshold, their source and text: what a reviewer reads to judge a rule. The sample is a
 * deterministic function of the seed (documents ordered by md5 of key and seed), the same on every
 * machine and for every order of the run's files.
 */
export async function auditRun(con: DuckDBConnection, runDir: string, options: AuditOptions): Promise<Audit> {
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const { manifest, prefix } = await iterationOutputs(new RunLayout(runDir), options.iteration);
  if (options.reason !== undefined && !(options.reason in manifest.counts.rules)) {
    const known = Object.keys(manifest.counts.rules);
    throw new InputError(runDir, `no reason named ${JSON.stringify(options.reason.slice(0, 60))} in this run; its reasons are ${known.join(', ')}`);
  }
  if (options.kept && options.reason !== undefined) throw new InputError(runDir, '--reason picks dropped documents; leave it out with --kept');
  const signals = runSignalsSql(runDir, []);
  const info = signals ? `(SELECT key, source, text FROM ${signals})` : `(SELECT NULL::VARCHAR AS key, NULL::VARCHAR AS source, NULL::VARCHAR AS text WHERE false)`;
  const outputs = `${prefix}${options.kept ? RunKeys.curated : RunKeys.rejected}`;
  const folder = join(runDir, outputs);
  if (outputFiles(runDir, outputs).length === 0) return { run: runDir, matching: 0, documents: [] };
  const read = `read_parquet(${sqlString(join(folder, '*.parquet'))}, union_by_name = true)`;

  const where: string[] = [];
  if (options.reason !== undefined) {
    where.push(options.primary ? `d.primary_reason = ${sqlString(options.reason)}` : `list_contains(list_transform(d.reasons, x -> x.rule), ${sqlString(options.reason)})`);
  }
  if (options.source !== undefined) where.push(`(s.source = ${sqlString(options.source)} OR starts_with(s.source, ${sqlString(`${options.source}/`)}))`);
  const columns = manifest.config.resolved.input.columns;
  const select = options.kept
    ? `SELECT ${columns.id ? `CAST(d.${sqlIdent(columns.id)} AS VARCHAR)` : 'NULL::VARCHAR'} AS id, d.${CURATED_KEY_COLUMN} AS key, s.source,
              NULL AS primary_reason, NULL AS reasons, NULL AS duplicate_of, CAST(d.${sqlIdent(columns.text)} AS VARCHAR) AS text
       FROM ${read} d LEFT JOIN ${info} s ON s.key = d.${CURATED_KEY_COLUMN}`
    : `SELECT d.id, d.key, s.source, d.primary_reason, d.reasons, d.duplicate_of, s.text
       FROM ${read} d LEFT JOIN ${info} s ON s.key = d.key`;
  const filtered = `(${select}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''})`;
  const [{ matching }] = (await queryRows<{ matching: bigint }>(con, `SELECT count(*) AS matching FROM ${filtered}`)) as [{ matching: bigint }];
  const rows = await queryRows<{ id: string | null; key: string; source: string | null; primary_reason: string | null; reasons: Reason[] | null; duplicate_of: string | null; text: string | null }>(
    con,
    `SELECT * FROM ${filtered} ORDER BY md5(key || ':' || ${Math.trunc(options.seed)}), key LIMIT ${Math.trunc(options.sample)}`,
  );
  const documents = rows.map((r): AuditedDocument =>
    options.kept
      ? { outcome: 'kept', id: r.id, key: r.key, source: r.source, text: r.text }
      : { outcome: 'dropped', id: r.id, key: r.key, source: r.source, primary_reason: r.primary_reason!, reasons: r.reasons ?? [], duplicate_of: r.duplicate_of ?? null, text: r.text },
  );
  return { run: runDir, matching: Number(matching), documents };
}

/** The Parquet files directly in a local run's output folder (what the `<folder>/*.parquet` glob reads). */
export function outputFiles(runDir: string, folder: string): string[] {
  const dir = join(runDir, folder);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.parquet')) : [];
}

/** An audit as a terminal shows it: each document's reasons with value and threshold, and the start of its text. */
export function formatAudit(audit: Audit, options: AuditOptions, width = 300): string {
  const what = options.kept ? 'kept' : 'dropped';
  const filters = [options.reason ? `reason ${options.reason}${options.primary ? ' (primary)' : ''}` : '', options.source ? `source ${options.source}` : ''].filter(Boolean).join(', ');
  const lines = [
    `${audit.run}: ${audit.documents.length} of ${audit.matching.toLocaleString('en-US')} ${what} documents${filters ? ` (${filters})` : ''}, sampled with seed ${options.seed}`,
  ];
  for (const d of audit.documents) {
    lines.push('', `${d.id ?? '(no id)'} (key ${d.key})${d.source ? `, source ${d.source}` : ''}: ${d.outcome === 'kept' ? 'kept' : `dropped, primary reason ${d.primary_reason}`}`);
    for (const r of d.reasons ?? []) lines.push(`  - ${r.rule}: ${r.signal} = ${r.value} (${r.op} ${r.threshold})`);
    lines.push(`  text: ${d.text === null ? '(none: bad input)' : cut(d.text, width)}`);
  }
  return lines.join('\n');
}
