import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, sqlIdent, sqlString } from '../io/duckdb.js';
import { InputError } from '../io/errors.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { Reason } from '../decisions/reasons-sql.js';
import { documentsEntities } from './met.js';
import { documentsRedactions, formatRedactions, type Redaction } from './pii.js';
import { withTempColumn } from './temp-table.js';
import { CURATED_KEY_COLUMN } from '../phases/decide.js';
import { explainBySource } from '../phases/reason-sources.js';
import { EXEMPTED_COLUMN } from '../phases/rule-source.js';
import { runSignalsSql } from '../phases/signals-sql.js';
import type { RunManifest } from '../phases/report.js';

/** The entity-tree nodes a document mentions, when the run tagged them (src/audit/met.ts). */
export type Entities = { id: string; label: string; mentions: number }[];

export type Fate = (
  | {
      outcome: 'kept';
      id: string | null;
      key: string;
      file: string;
      /** Rules whose exception spared it: each with the value and threshold that would have dropped it. */
      exempted?: Reason[];
    }
  | {
      outcome: 'dropped';
      id: string | null;
      key: string;
      file: string;
      primary_reason: string;
      reasons: Reason[];
      duplicate_of: string | null;
      duplicate_of_id: string | null;
      exact_keeper: string | null;
      exact_keeper_id: string | null;
      /** The near-duplicate cluster (the key of its first document), when near-dedup linked it. */
      near_cluster: string | null;
    }
) & { entities?: Entities; /** What PII redaction replaced in its text (types and offsets, not the words). */ redactions?: Redaction[] };

export interface WhyAnswer {
  query: string;
  fates: Fate[];
  /** Shards the run skipped as unreadable: a document not found may have been in one. */
  skipped: RunManifest['skipped_shards'];
}

/**
 * Finds what happened to a document, by its id or its winnow key (`<shard>#<row>`): kept, or
 * dropped with every reason, measured value and threshold, and the kept copy for a duplicate.
 */
export async function why(con: DuckDBConnection, runDir: string, query: string): Promise<WhyAnswer> {
  return (await whyMany(con, runDir, [query]))[0]!;
}

/**
 * `why` for many documents at once (`winnow why --ids FILE`), in one pass over the run's output
 * files: the queries go into a table and are joined with the rejected and curated rows by id and
 * by key, so ten thousand ids cost one scan of the outputs, not ten thousand. Answers come in the
 * order of the queries.
 */
export async function whyMany(con: DuckDBConnection, runDir: string, queries: readonly string[]): Promise<WhyAnswer[]> {
  const layout = new RunLayout(runDir);
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const manifest = await layout.storage.readJson<RunManifest>(RunKeys.manifest);
  if (manifest === undefined) {
    throw new InputError(runDir, 'not a finished winnow run (no manifest.json): run `winnow run` first, or let the run in progress finish');
  }
  const idColumn = manifest.config.resolved.input.columns.id;
  const byQuery = new Map<string, Fate[]>(queries.map((q) => [q, []]));
  await withTempColumn(con, 'why_queries', 'query', byQuery.keys(), async () => {
    // A document found by its id and by its key is one answer: the key join skips rows the id join found.
    const matching = (relation: string, id: string, key: string) =>
      `SELECT q.query, d.* FROM ${relation} d JOIN why_queries q ON ${id} = q.query
       UNION ALL BY NAME
       SELECT q.query, d.* FROM ${relation} d JOIN why_queries q ON ${key} = q.query WHERE ${id} IS DISTINCT FROM q.query`;

    if (await hasParquet(layout, RunKeys.rejected)) {
      const rejected = `read_parquet(${sqlString(join(layout.rejectedDir, '*.parquet'))}, filename = true, union_by_name = true)`;
      const rows = await queryRows<Record<string, unknown>>(con, `SELECT * FROM (${matching(rejected, 'd.id', 'd.key')}) ORDER BY query, key`);
      for (const r of rows) {
        byQuery.get(r.query as string)!.push({
          outcome: 'dropped',
          id: (r.id as string | null) ?? null,
          key: r.key as string,
          file: relative(runDir, r.filename as string),
          primary_reason: r.primary_reason as string,
          reasons: r.reasons as Reason[],
          duplicate_of: (r.duplicate_of as string | null) ?? null,
          duplicate_of_id: (r.duplicate_of_id as string | null) ?? null,
          exact_keeper: (r.exact_keeper as string | null | undefined) ?? null,
          exact_keeper_id: (r.exact_keeper_id as string | null | undefined) ?? null,
          near_cluster: (r.near_cluster as string | null) ?? null,
        });
      }
    }
    if (await hasParquet(layout, RunKeys.curated)) {
      const curated = sqlString(join(layout.curatedDir, '*.parquet'));
      const columns = await queryRows<{ column_name: string }>(con, `DESCRIBE SELECT * FROM read_parquet(${curated}, union_by_name = true)`);
      const exempted = columns.some((c) => c.column_name === EXEMPTED_COLUMN);
      const relation = `(SELECT ${idColumn ? `CAST(${sqlIdent(idColumn)} AS VARCHAR)` : 'NULL::VARCHAR'} AS id, ${CURATED_KEY_COLUMN} AS key, filename,
                         ${exempted ? EXEMPTED_COLUMN : 'NULL'} AS exempted FROM read_parquet(${curated}, filename = true, union_by_name = true))`;
      const rows = await queryRows<{ query: string; id: string | null; key: string; filename: string; exempted: Reason[] | null }>(
        con,
        `SELECT * FROM (${matching(relation, 'd.id', 'd.key')}) ORDER BY query, key`,
      );
      for (const r of rows) {
        byQuery.get(r.query)!.push({ outcome: 'kept', id: r.id, key: r.key, file: relative(runDir, r.filename), ...(r.exempted && r.exempted.length > 0 ? { exempted: r.exempted } : {}) });
      }
    }
  });
  const fates = [...byQuery.values()].flat();
  const entities = await documentsEntities(con, runDir, fates.map((f) => f.key));
  const redactions = await documentsRedactions(con, runDir, fates.map((f) => f.key));
  for (const fate of fates) {
    const found = entities.get(fate.key);
    if (found && found.length > 0) fate.entities = found;
    const redacted = redactions.get(fate.key);
    if (redacted) fate.redactions = redacted;
  }
  return queries.map((query) => ({ query, fates: byQuery.get(query)!, skipped: manifest.skipped_shards }));
}

/** The documents of a finished run whose text contains a snippet (literally), by key: the first `limit`, and how many there are. */
export async function findByText(con: DuckDBConnection, runDir: string, snippet: string, limit: number): Promise<{ keys: string[]; total: number }> {
  if (snippet.trim() === '') throw new InputError(runDir, '--text needs a snippet of text to look for');
  const signals = runSignalsSql(runDir, []);
  if (!signals) throw new InputError(runDir, 'not a finished winnow run (no signals in work/): run `winnow run` first');
  const rows = await queryRows<{ key: string; total: bigint }>(
    con,
    `SELECT key, count(*) OVER () AS total FROM ${signals} WHERE contains(text, ${sqlString(snippet)}) ORDER BY shard, "row" LIMIT ${Math.trunc(limit)}`,
  );
  return { keys: rows.map((r) => r.key), total: Number(rows[0]?.total ?? 0) };
}

/** Whether an output folder holds a Parquet file directly (what the `<folder>/*.parquet` glob reads). */
const hasParquet = async (layout: RunLayout, folder: string): Promise<boolean> =>
  (await layout.storage.list(`${folder}/`)).some((key) => key.endsWith('.parquet') && !key.slice(folder.length + 1).includes('/'));

const OP_WORDS: Record<string, string> = {
  '>=': 'must be >=',
  '>': 'must be >',
  '<=': 'must be <=',
  '<': 'must be <',
  '==': 'must be',
  '!=': 'must not be',
  in: 'must be one of',
  not_in: 'must not be one of',
  in_list: 'must be in',
  not_in_list: 'must not be in',
};

/** The answer as people read it. */
export function formatWhy(answer: WhyAnswer): string {
  if (answer.fates.length === 0) {
    const lines = [`${answer.query}: not found in this run (looked for it as an id and as a key).`];
    if (answer.skipped.length > 0) {
      lines.push(`The run skipped ${answer.skipped.length} unreadable shard(s); the document may be in one of them:`);
      for (const s of answer.skipped) lines.push(`  - ${s.path}: ${s.error}`);
    }
    return lines.join('\n');
  }
  return answer.fates
    .map((fate) => {
      const head = `${fate.id ?? '(no id)'} (key ${fate.key})`;
      const lines =
        fate.outcome === 'kept'
          ? [
              `${head}: kept, in ${fate.file}`,
              ...(fate.exempted ?? []).map((r) => `  - spared by an exception: ${r.rule}: ${r.signal} = ${r.value}, ${OP_WORDS[r.op] ?? r.op} ${r.threshold}`),
            ]
          : [`${head}: dropped (primary reason: ${fate.primary_reason}), listed in ${fate.file}`, ...fate.reasons.map((r) => `  - ${describeReason(r, fate)}`)];
      if (fate.entities) lines.push(`  entities: ${fate.entities.map((e) => `${e.label} (${e.id}) x${e.mentions}`).join(', ')}`);
      if (fate.redactions) lines.push(`  PII: ${formatRedactions(fate.redactions)} (offsets in the text before redaction)`);
      return lines.join('\n');
    })
    .join('\n');
}

/** The reason in words: its source's own wording (duplicates name their keeper), else the comparison. */
function describeReason(r: Reason, fate: Extract<Fate, { outcome: 'dropped' }>): string {
  return explainBySource(r, fate) ?? `${r.rule}: ${r.signal} = ${r.value}, ${OP_WORDS[r.op] ?? r.op} ${r.threshold}`;
}
