import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';
import { jsonText } from '../storage/local.js';
import { makeDirs } from '../storage/dirs.js';

/**
 * Writes a file so readers see the old content or the new, never a part, and a crash right after
 * cannot leave it empty: temporary name, fsync, rename (write-file-atomic).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  makeDirs(dirname(path));
  writeFileAtomicLib.sync(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: true });
}

/**
 * Writes JSON to a local file atomically (write-file-atomic). For local files outside run storage,
 * such as the run lock's owner note; a run's own files go through its RunStorage.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, jsonText(value));
}

/** A CSV field as RFC 4180 writes it: quoted, quotes doubled, when it holds a comma, quote or line break. */
export const csvField = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface FileRecord {
  /** Relative to the run folder (outputs) or to the input root (inputs). */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** A finished file's record: `absolute` is where it is now, `relative` what the record calls it (its run storage key, for outputs). */
export async function describeFile(absolute: string, relative: string, rows: number): Promise<FileRecord> {
  return { path: relative, rows, bytes: statSync(absolute).size, sha256: await sha256File(absolute) };
}
