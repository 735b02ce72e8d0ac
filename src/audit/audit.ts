import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Reason } from '../decisions/reasons-sql.js';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import { CURATED_KEY_COLUMN } from '../phases/decide.js';
import { runSignalFiles, runSignalsSql } from '../phases/signals-sql.js';
import { cut } from './inspect.js';
import { iterationOutputs, recomputedSince } from './iteration.js';
import { textsByKey } from './texts.js';

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
  /** false: the documents without their text (null), which the signals' text column is then never read for. */
  text?: boolean;
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
  const relation = await auditRelation(runDir, options);
  if (!relation) return { run: runDir, matching: 0, documents: [] };
  const [{ matching }] = (await queryRows<{ matching: number }>(con, `SELECT count(*) AS matching FROM ${relation.filtered}`)) as [{ matching: number }];
  const rows = await queryRows<AuditRow>(con, `SELECT * FROM ${relation.filtered} ORDER BY ${sampleOrder(options.seed)} LIMIT ${Math.trunc(options.sample)}`);
  return { run: runDir, matching: Number(matching), documents: await documentsOf(con, rows, relation, options) };
}

/**
 * The same sample as `auditRun` with `reason` and `primary` gives for each primary reason, for
 * every reason at once: one scan of the run's outputs instead of one per reason (the report's
 * samples).
 */
export async function sampleByReason(con: DuckDBConnection, runDir: string, options: Omit<AuditOptions, 'reason' | 'primary' | 'kept' | 'source'>): Promise<Map<string, AuditedDocument[]>> {
  const relation = await auditRelation(runDir, options);
  const out = new Map<string, AuditedDocument[]>();
  if (!relation) return out;
  const order = sampleOrder(options.seed);
  // The sample's keys are picked from the output's keys and reasons alone; the rows are read for
  // them only (ranking every row with its reasons took 7 s and 1 GB for a million documents).
  const picked = `SELECT key FROM ${relation.read} QUALIFY row_number() OVER (PARTITION BY primary_reason ORDER BY ${order}) <= ${Math.trunc(options.sample)}`;
  const rows = await queryRows<AuditRow>(con, `SELECT * FROM ${relation.filtered} WHERE key IN (${picked}) ORDER BY primary_reason, ${order}`);
  for (const d of await documentsOf(con, rows, relation, options)) out.set(d.primary_reason!, [...(out.get(d.primary_reason!) ?? []), d]);
  return out;
}

interface AuditRow {
  id: string | null;
  key: string;
  source: string | null;
  primary_reason: string | null;
  reasons: Reason[] | null;
  duplicate_of: string | null;
  text: string | null;
}

interface AuditRelation {
  filtered: string;
  /** The output's files as read (rejected or curated rows, unfiltered). */
  read: string;
  kept: boolean;
  /** The run's signals files (local paths), where dropped documents' texts are. */
  signalFiles: string[];
}

/** Documents ordered by md5 of key and seed: the same sample on every machine and for every order of the run's files. */
const sampleOrder = (seed: number): string => `md5(key || ':' || ${Math.trunc(seed)}), key`;

/**
 * The documents an audit picks from, as SQL: the iteration's rejected (or curated) rows with their
 * source, filtered as the options say; undefined when that output has no files. Dropped rows come
 * without their text (documentsOf looks up the sample's).
 */
async function auditRelation(runDir: string, options: Omit<AuditOptions, 'sample' | 'seed'>): Promise<AuditRelation | undefined> {
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const { manifest, prefix, latest } = await iterationOutputs(new RunLayout(runDir), options.iteration);
  if (options.reason !== undefined && !(options.reason in manifest.counts.rules)) {
    const known = Object.keys(manifest.counts.rules);
    throw new InputError(runDir, `no reason named ${JSON.stringify(options.reason.slice(0, 60))} in this run; its reasons are ${known.join(', ')}`);
  }
  if (options.kept && options.reason !== undefined) throw new InputError(runDir, '--reason picks dropped documents; leave it out with --kept');
  const found = runSignalFiles(runDir, []);
  const signals = found && runSignalsSql(runDir, [], found);
  const info = signals ? `(SELECT key, source FROM ${signals})` : `(SELECT NULL::VARCHAR AS key, NULL::VARCHAR AS source WHERE false)`;
  const outputs = `${prefix}${options.kept ? RunKeys.curated : RunKeys.rejected}`;
  if (outputFiles(runDir, outputs).length === 0) return undefined;
  const read = `read_parquet(${sqlString(join(runDir, outputs, '*.parquet'))}, union_by_name = true)`;

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
    : `SELECT d.id, d.key, s.source, d.primary_reason, d.reasons, d.duplicate_of, NULL::VARCHAR AS text
       FROM ${read} d LEFT JOIN ${info} s ON s.key = d.key`;
  // An earlier iteration whose texts a later annotate replaced: no text is shown, rather than another's.
  const replacedTexts = prefix !== '' && recomputedSince(latest, manifest.iteration).has('annotate');
  const signalFiles = replacedTexts ? [] : (found?.signalFiles ?? []).map((key) => join(runDir, key));
  return { filtered: `(${select}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''})`, read, kept: !!options.kept, signalFiles };
}

/** Audited documents from sampled rows; a dropped one's text (the final text annotate measured) looked up by key, a row group each. */
async function documentsOf(con: DuckDBConnection, rows: AuditRow[], relation: AuditRelation, options: { text?: boolean }): Promise<AuditedDocument[]> {
  if (relation.kept) return rows.map((r) => ({ outcome: 'kept', id: r.id, key: r.key, source: r.source, text: options.text === false ? null : r.text }));
  const files = options.text === false ? [] : relation.signalFiles;
  const texts = files.length > 0 ? await textsByKey(con, files, rows.map((r) => r.key)) : new Map<string, string | null>();
  return rows.map((r) => ({
    outcome: 'dropped',
    id: r.id,
    key: r.key,
    source: r.source,
    primary_reason: r.primary_reason!,
    reasons: r.reasons ?? [],
    duplicate_of: r.duplicate_of ?? null,
    text: texts.get(r.key) ?? null,
  }));
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
