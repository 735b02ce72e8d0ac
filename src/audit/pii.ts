import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../io/duckdb.js';
import { runSignalsSql } from '../phases/signals-sql.js';
import { PII_SPANS_COLUMN } from '../signals/pii-counts.js';
import { withTempColumn } from './temp-table.js';

/** One redaction: its placeholder type and where it was in the text before redaction (UTF-16 offsets). */
export interface Redaction {
  type: string;
  start: number;
  end: number;
}

/**
 * The redactions of each document (by key) of a finished run that redacted PII: read from the
 * signals' `pii_spans` column. Empty when the run did not redact, or wrote no such column (older runs).
 */
export async function documentsRedactions(con: DuckDBConnection, runDir: string, keys: readonly string[]): Promise<Map<string, Redaction[]>> {
  const out = new Map<string, Redaction[]>();
  if (keys.length === 0) return out;
  const signals = runSignalsSql(runDir, []);
  if (!signals) return out;
  const columns = await queryRows<{ column_name: string }>(con, `DESCRIBE SELECT * FROM ${signals}`);
  if (!columns.some((c) => c.column_name === PII_SPANS_COLUMN)) return out;
  const rows = await withTempColumn(con, 'redaction_keys', 'key', keys, () =>
    queryRows<{ key: string; spans: string[] | null }>(con, `SELECT key, ${PII_SPANS_COLUMN} AS spans FROM ${signals} WHERE key IN (SELECT key FROM redaction_keys)`),
  );
  for (const { key, spans } of rows) {
    if (!spans || spans.length === 0) continue;
    out.set(
      key,
      spans.map((s) => {
        const m = /^(.+):(\d+)-(\d+)$/.exec(s);
        return m ? { type: m[1]!, start: Number(m[2]), end: Number(m[3]) } : { type: s, start: -1, end: -1 };
      }),
    );
  }
  return out;
}

/** "3 redacted: NAME at 9-17, 40-48; PHONE at 60-73". */
export function formatRedactions(redactions: readonly Redaction[]): string {
  const byType = new Map<string, string[]>();
  for (const r of redactions) byType.set(r.type, [...(byType.get(r.type) ?? []), `${r.start}-${r.end}`]);
  return `${redactions.length} redacted: ${[...byType].map(([type, at]) => `${type} at ${at.join(', ')}`).join('; ')}`;
}
