import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { WinnowError } from '../config/errors.js';
import { writeJsonAtomic } from './files.js';
import type { RunLayout } from './layout.js';

/** Refused because another run holds the run folder. */
export class RunLockedError extends WinnowError {
  constructor(message: string) {
    super(message);
    this.name = 'RunLockedError';
  }
}

/** Who holds a run folder: written beside the lock so a refused run can name the holder. */
export interface LockOwner {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

export interface RunLock {
  release(): Promise<void>;
}

/** A lock whose heartbeat stopped this long ago belongs to a run that is gone (killed, or its machine died). */
export const STALE_AFTER_MS = 60_000;
/**
 * Takes the run folder for this process: one run at a time may write a run folder. The lock is a
 * directory made with mkdir (atomic on local and network file systems, proper-lockfile) whose
 * mtime a heartbeat refreshes; a lock whose heartbeat stopped STALE_AFTER_MS ago is taken over, and
 * one held by a process of this host that no longer exists is taken over at once. Beside it, the
 * holder's pid, host, start time and command, which a refused run prints.
 *
 * `onLost` is called if the heartbeat fails (the folder was removed, or another process took the
 * lock over): the run must stop, since another may now write the same files.
 */
export async function lockRunFolder(layout: RunLayout, onLost: (err: Error) => void): Promise<RunLock> {
  const { root } = layout;
  mkdirSync(root, { recursive: true });
  const paths = { lock: layout.lock, owner: layout.lockOwner };
  takeOverIfHolderIsGone(paths);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(root, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: STALE_AFTER_MS,
      update: STALE_AFTER_MS / 6,
      onCompromised: onLost,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    throw new RunLockedError(`${root} is in use by another winnow run (${describeOwner(readOwner(paths.owner))}); wait for it to finish, or choose another --output. A lock left by a killed run is taken over ${STALE_AFTER_MS / 1000} s after its heartbeat stopped, or at once on the same host.`);
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command: process.argv.slice(1).join(' ') };
  writeJsonAtomic(paths.owner, owner);
  return {
    async release() {
      rmSync(paths.owner, { force: true });
      await release().catch(() => undefined); // already lost: nothing left to release
    },
  };
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined; // the holder has not written it yet, or it is damaged
  }
}

function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'holder unknown: it has only just started';
  return `pid ${owner.pid} on host ${owner.host}, started ${owner.started_at}`;
}

/** A lock of this host's whose process is gone is stale now, not in a minute. */
function takeOverIfHolderIsGone(paths: { lock: string; owner: string }): void {
  if (!existsSync(paths.lock)) return;
  const owner = readOwner(paths.owner);
  if (!owner || owner.host !== hostname() || processExists(owner.pid)) return;
  rmSync(paths.lock, { recursive: true, force: true });
  rmSync(paths.owner, { force: true });
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
  // A killed run whose parent has not reaped it yet is a zombie: it answers signals but holds nothing.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust the signal
  }
}
