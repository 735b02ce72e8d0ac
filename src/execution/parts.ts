import { statSync } from 'node:fs';
import type { InputShard, ShardPart } from '../io/inputs.js';
import { readShardLayout, type ShardLayout } from '../io/parquet-layout.js';

/**
 * Splits each shard into parts of consecutive row groups holding about `partBytes` of text
 * (uncompressed, by the footer), each of which one annotate task reads, so that one huge shard is
 * spread over many tasks and a killed task redoes only its part. The split depends on the shard's
 * footer and the setting alone, never on the number of tasks or machines: outputs are the same
 * whatever runs them. A row group is never split (it is what a Parquet reader decodes at once), so
 * a shard of one row group is one part however large.
 *
 * Footers are read a few at a time (local files by position, S3 objects with ranged GETs). A shard
 * whose footer cannot be read is left whole, without parts: its task reads it and reports why
 * (input.on_error decides what follows).
 */
export async function planParts(shards: readonly InputShard[], textColumn: string, partBytes: number): Promise<InputShard[]> {
  const out: InputShard[] = new Array(shards.length);
  let next = 0;
  const worker = async () => {
    while (next < shards.length) {
      const i = next++;
      out[i] = await planShard(shards[i]!, textColumn, partBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, shards.length) }, worker));
  return out;
}

async function planShard(shard: InputShard, textColumn: string, partBytes: number): Promise<InputShard> {
  const { parts: _parts, tail: _tail, stamp: _stamp, ...bare } = shard;
  let planned: InputShard = bare;
  let layout: ShardLayout;
  try {
    // A file gone since it was listed is left unplanned: its task says so.
    if (!shard.object) planned = { ...bare, stamp: fileStamp(shard.path) };
    layout = await readShardLayout(shard.path, textColumn, shard.object);
  } catch (err) {
    // Storage failures (denied, unreachable) are the run's to report; an unreadable footer is the shard's.
    if ((err as Error).name === 'StorageError') throw err;
    return planned;
  }
  return { ...planned, parts: splitRowGroups(layout, partBytes), tail: layout.tailStart };
}

/** Consecutive row groups, each part closed once its text reaches partBytes; a shard with no row groups is one empty part. */
export function splitRowGroups(layout: ShardLayout, partBytes: number): ShardPart[] {
  const parts: ShardPart[] = [];
  let row = 0;
  let current: { rows: [number, number]; bytes: [number, number]; text: number } | undefined;
  for (const rg of layout.rowGroups) {
    if (!current) current = { rows: [row, row], bytes: [rg.start, rg.end], text: 0 };
    current.rows[1] = row + rg.rows;
    current.bytes = [Math.min(current.bytes[0], rg.start), Math.max(current.bytes[1], rg.end)];
    current.text += rg.textBytes;
    row += rg.rows;
    if (current.text >= partBytes) {
      parts.push({ rows: current.rows, bytes: current.bytes });
      current = undefined;
    }
  }
  if (current) parts.push({ rows: current.rows, bytes: current.bytes });
  return parts.length > 0 ? parts : [{ rows: [0, 0], bytes: [4, 4] }];
}

/** The parts annotate's tasks read: the planned ones, or the whole file as one when its footer could not be read. */
export const partsOf = (shard: InputShard): (ShardPart | undefined)[] => shard.parts ?? [undefined];

export function fileStamp(path: string): { bytes: number; mtime: number } {
  const stat = statSync(path);
  return { bytes: stat.size, mtime: stat.mtimeMs };
}
