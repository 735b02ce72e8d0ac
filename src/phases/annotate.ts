import { rmSync, statSync } from 'node:fs';
import type { DuckDBValue } from '@duckdb/node-api';
import { InputError } from '../io/errors.js';
import { hashOf } from '../config/hash.js';
import type { InputShard } from '../io/inputs.js';
import { RunKeys } from '../io/layout.js';
import { checkMappedColumns, inspectShard, readShard, type MappedColumns } from '../io/parquet-reader.js';
import { columnValue, ParquetPartWriter, type ColumnSpec } from '../io/parquet-writer.js';
import type { RunStorage } from '../storage/storage.js';
import type { TaskContext } from './context.js';

export interface ShardInputRecord {
  /** Relative to the input root. */
  path: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

/**
 * What an annotate task returns: of one part of a shard (src/execution/parts.ts), or, merged by
 * `annotatedShards`, of a whole shard, which is how every phase after annotate reads them.
 */
export interface AnnotateResult {
  shard: number;
  /** The part of the shard (0 for a merged shard). */
  part: number;
  /** The rows of the shard the part read, when it read some (a shard of several parts); absent for all of them. */
  range?: [number, number];
  status: 'done' | 'skipped';
  input: ShardInputRecord;
  /** Documents read (all rows, bad ones included). */
  rows: number;
  /** UTF-8 bytes of input text, before normalization. */
  textBytes: number;
  badRows: number;
  /** Signal part files, relative to the run folder. */
  signalFiles: string[];
  /** For a skipped shard: why. */
  error?: ReturnType<InputError['toJSON']>;
  /**
   * What the signals were computed from: the code, the config and the shard's content (sha256),
   * not its mtime. Later phases key on it, so a shard touched or copied but unchanged is hashed
   * again and everything after annotate is reused.
   */
  content: string;
}

/** The content fingerprint of a shard's annotation (AnnotateResult.content). */
export const annotationContent = (contentKey: string, sha256: string): string => hashOf({ contentKey, sha256 });

/**
 * The parts' results of each shard merged into one, in shard order: rows and bytes summed, signal
 * files in part order, the content fingerprint of all its parts, the input record of its first part
 * (which holds the shard's sha256). A shard with a skipped part is skipped whole (its other parts'
 * signals unused), with that part's error: a shard is in the outputs entirely or not at all.
 */
export function annotatedShards(parts: readonly AnnotateResult[]): AnnotateResult[] {
  const byShard = new Map<number, AnnotateResult[]>();
  for (const r of parts) {
    const list = byShard.get(r.shard);
    if (list) list.push(r);
    else byShard.set(r.shard, [r]);
  }
  return [...byShard.keys()].sort((a, b) => a - b).map((shard) => mergeParts(byShard.get(shard)!.sort((a, b) => a.part - b.part)));
}

function mergeParts(list: readonly AnnotateResult[]): AnnotateResult {
  if (list.length === 1) return checkCovered(list[0]!, list);
  const first = list[0]!;
  const content = hashOf({ parts: list.map((r) => r.content) });
  const skipped = list.find((r) => r.status === 'skipped');
  if (skipped) {
    // The shard's row count from whichever part could read its footer: a skipped shard's rows are still accounted for.
    const rows = list.find((r) => r.input.rows !== null)?.input.rows ?? null;
    return { ...skipped, part: 0, input: { ...first.input, rows }, rows: 0, textBytes: 0, badRows: 0, signalFiles: [], content };
  }
  const merged: AnnotateResult = {
    shard: first.shard,
    part: 0,
    status: 'done',
    input: first.input,
    rows: list.reduce((a, r) => a + r.rows, 0),
    textBytes: list.reduce((a, r) => a + r.textBytes, 0),
    badRows: list.reduce((a, r) => a + r.badRows, 0),
    signalFiles: list.flatMap((r) => r.signalFiles),
    content,
  };
  return checkCovered(merged, list);
}

/**
 * Nothing lost between parts: a shard's parts read its rows from the first to the last, each
 * where the one before stopped, and as many as its footer holds. Decide joins input rows with
 * signals, so a gap would drop documents while every count still balanced.
 */
function checkCovered(shard: AnnotateResult, parts: readonly AnnotateResult[]): AnnotateResult {
  if (shard.status !== 'done' || shard.input.rows === null) return shard;
  let next = 0;
  for (const p of parts) {
    const [start, end] = p.range ?? [0, shard.input.rows];
    if (start !== next) throw new Error(`shard ${shard.input.path}: part ${p.part} reads rows from ${start}, but the part before it stopped at ${next}`);
    next = end;
  }
  if (next !== shard.input.rows || shard.rows !== shard.input.rows) {
    throw new Error(`shard ${shard.input.path}: its parts read ${shard.rows} rows (up to row ${next}), but it holds ${shard.input.rows}`);
  }
  return shard;
}

/** Which part of its shard an annotate task reads: its position, and its rows (all when absent). */
export interface PartToRead {
  index: number;
  rows?: [number, number];
}

/** The fixed columns of a signals file, before the signal columns. */
export const SIGNAL_FILE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'shard', type: 'INTEGER' },
  { name: 'row', type: 'BIGINT' },
  { name: 'key', type: 'VARCHAR' },
  { name: 'id', type: 'VARCHAR' },
  { name: 'url', type: 'VARCHAR' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'text', type: 'VARCHAR' },
  { name: 'bad_input', type: 'VARCHAR' },
];

const PART_ROWS = 50_000;
const PART_BYTES = 64e6;

/**
 * Annotate one part of a shard (its rows, or all of them): stream its rows, normalize the text,
 * compute every signal and write them to work/signals/<shard>/<part>/ (document key, normalized
 * text, one column per signal). Nothing is
 * decided here, so thresholds can change later without reading the input again.
 */
export async function annotateShard(ctx: TaskContext, shard: InputShard, file: string, hashed: { sha256: string; content: string }, part: PartToRead): Promise<AnnotateResult> {
  const { pipeline, layout } = ctx;
  const { content } = hashed;
  const tmp = await layout.scratch('annotate', `${shard.index}-${part.index}`);
  const bytes = statSync(file).size;
  const input: ShardInputRecord = { path: shard.name, rows: null, bytes, sha256: hashed.sha256 };
  try {
    const schema = await inspectShard(ctx.con, file, shard.path);
    input.rows = schema.rows;
    const columns = checkMappedColumns(shard.path, schema, pipeline.input.columns);
    const result = await writeSignals(ctx, shard, file, columns, tmp, part.rows);
    const final = RunKeys.signals(shard.index, part.index);
    await layout.storage.commitDir(tmp, final);
    return {
      shard: shard.index,
      part: part.index,
      ...(part.rows ? { range: part.rows } : {}),
      status: 'done',
      input,
      ...result,
      signalFiles: result.parts.map((p) => `${final}/${p}`),
      content,
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!(err instanceof InputError) || pipeline.input.on_error !== 'skip') throw err;
    return { shard: shard.index, part: part.index, ...(part.rows ? { range: part.rows } : {}), status: 'skipped', input, rows: 0, textBytes: 0, badRows: 0, signalFiles: [], error: err.toJSON(), content };
  }
}

async function writeSignals(ctx: TaskContext, shard: InputShard, file: string, columns: MappedColumns, dir: string, rows?: [number, number]) {
  const { pipeline } = ctx;
  const annotator = await ctx.annotator();
  const maxBytes = pipeline.input.max_text_bytes;
  const fixed = SIGNAL_FILE_COLUMNS.length;
  const specs = [...SIGNAL_FILE_COLUMNS, ...annotator.columns];
  const writer = await ParquetPartWriter.open(ctx.con, dir, specs, {
    partRows: PART_ROWS,
    partBytes: PART_BYTES,
    rowGroupRows: pipeline.output.row_group_rows,
  });
  const wanted = [columns.text, columns.id, columns.url, columns.source].filter((c): c is string => c !== undefined);
  const at = (name: string | undefined) => (name === undefined ? -1 : wanted.indexOf(name));
  const [textAt, idAt, urlAt, sourceAt] = [at(columns.text), at(columns.id), at(columns.url), at(columns.source)];
  let read = 0;
  let textBytes = 0;
  let badRows = 0;

  for await (const batch of readShard(ctx.reader, file, wanted, shard.path, rows)) {
    ctx.checkAborted();
    const n = batch.rows.length;
    const out: DuckDBValue[][] = specs.map(() => new Array<DuckDBValue>(n));
    const [shardCol, rowCol, keyCol, idCol, urlCol, sourceCol, textCol, badCol] = out as [DuckDBValue[], ...DuckDBValue[][]];
    let batchBytes = 0;
    const good: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = batch.rows[i]!;
      const key = `${shard.name}#${row}`;
      const id = idAt >= 0 ? batch.columns[idAt]![i]! : key;
      const raw = batch.columns[textAt]![i];
      const rawBytes = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : 0;
      batchBytes += rawBytes;
      const bad =
        raw === null || raw === undefined
          ? 'text is null'
          : rawBytes > maxBytes
            ? `text is ${rawBytes} bytes, over input.max_text_bytes (${maxBytes})`
            : null;
      if (bad !== null && pipeline.input.bad_rows === 'fail') {
        throw new InputError(shard.path, `${bad} (set input.bad_rows: reject to reject such rows instead)`, { row, id: id ?? undefined });
      }
      shardCol[i] = shard.index;
      rowCol![i] = BigInt(row);
      keyCol![i] = key;
      idCol![i] = id;
      urlCol![i] = urlAt >= 0 ? batch.columns[urlAt]![i]! : null;
      sourceCol![i] = sourceAt >= 0 ? batch.columns[sourceAt]![i]! : null;
      badCol![i] = bad;
      if (bad !== null) {
        badRows++;
        textCol![i] = null;
        for (let s = fixed; s < specs.length; s++) out[s]![i] = null;
        continue;
      }
      good.push(i);
    }
    // The batch's documents at once: families with large tables measure them all in turn (SignalFamily.batched).
    const annotated = annotator.annotateMany(
      good.map((i) => batch.columns[textAt]![i] as string),
      good.map((i) => urlCol![i] as string | null),
      good.map((i) => sourceCol![i] as string | null),
    );
    for (let g = 0; g < good.length; g++) {
      const i = good[g]!;
      const { text, values } = annotated[g]!;
      textCol![i] = text;
      for (let s = 0; s < values.length; s++) out[fixed + s]![i] = columnValue(values[s]!);
    }
    await writer.append(out, n, batchBytes);
    read += n;
    textBytes += batchBytes;
    ctx.progress(n, batchBytes);
  }
  const parts = (await writer.close()).map((f) => f.slice(dir.length + 1));
  return { rows: read, textBytes, badRows, parts };
}

export const signalsExist = async (storage: RunStorage, files: readonly string[]): Promise<boolean> =>
  (await Promise.all(files.map((f) => storage.exists(f)))).every(Boolean);
