import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import lockfile from 'proper-lockfile';
import { WinnowError } from '../config/errors.js';
import { S3Storage } from '../storage/s3.js';
import { writeJsonAtomic } from './files.js';
import type { RunLayout } from './layout.js';
import { makeDirs } from '../storage/dirs.js';

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
  if (layout.storage instanceof S3Storage) return lockObject(layout.storage, onLost);
  const { root } = layout;
  makeDirs(root);
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

/** Whether a run holds the run folder now (a fresh lock: its heartbeat is younger than STALE_AFTER_MS). */
export async function runLockHeld(layout: RunLayout): Promise<boolean> {
  if (layout.storage instanceof S3Storage) {
    const lock = await layout.storage.version(LOCK_KEY);
    return lock !== undefined && lock.age < STALE_AFTER_MS;
  }
  return lockfile.check(layout.root, { lockfilePath: layout.lock, realpath: false, stale: STALE_AFTER_MS }).catch(() => false);
}

/** The lock of a run on an object store: an object beside the run's files, named as the local lock's note. */
const LOCK_KEY = '.winnow.lock.json';

interface LockObject extends LockOwner {
  token: string;
}

/**
 * A run on S3 is locked by an object, `<run>/.winnow.lock.json`, holding its owner and a random
 * token. It is created with a conditional PUT (If-None-Match: *), or a stale one replaced with
 * If-Match on its ETag, so that of two runs only one gets it on stores that honour conditions
 * (AWS S3, current MinIO); then read back, so that on a store that ignores them the earlier writer
 * sees another token and stops. A heartbeat rewrites it every STALE_AFTER_MS / 6 while the run
 * lasts, one at a time, each over its own last write (If-Match), so a run that stalled past the
 * stale limit and lost the lock stops rather than taking it back; one whose heartbeat stopped STALE_AFTER_MS ago (by this machine's clock
 * against the store's) is taken over. Two runs started within the same instant on a store that
 * ignores conditions could both pass the read-back; cluster engines never do that (one job per
 * phase), and `winnow run` on S3 is for one operator.
 */
async function lockObject(storage: S3Storage, onLost: (err: Error) => void): Promise<RunLock> {
  const mine: LockObject = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command: process.argv.slice(1).join(' '), token: randomUUID() };
  const holder = () => storage.readJson<LockObject>(LOCK_KEY).catch(() => undefined);
  const refuse = (held: LockObject | undefined) =>
    new RunLockedError(`${storage.location} is in use by another winnow run (${describeOwner(held)}); wait for it to finish, or choose another --output. A lock left by a killed run is taken over ${STALE_AFTER_MS / 1000} s after its heartbeat stopped.`);
  const found = await storage.version(LOCK_KEY);
  if (found && found.age < STALE_AFTER_MS) throw refuse(await holder());
  let etag = await storage.writeJsonIf(LOCK_KEY, mine, found ? { replacing: found.etag } : { absent: true });
  if (etag === undefined) throw refuse(await holder());
  const check = async () => {
    const now = await storage.readJson<LockObject>(LOCK_KEY);
    if (now?.token !== mine.token) throw refuse(now);
  };
  await check();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let beat: Promise<void> = Promise.resolve();
  // The next heartbeat is scheduled when one ends: a slow store never has two in flight.
  const schedule = () => {
    timer = setTimeout(() => {
      beat = (async () => {
        try {
          await check();
          if (stopped) return;
          // Over our own last write only: a run that took the lock over meanwhile keeps it.
          const next = await storage.writeJsonIf(LOCK_KEY, mine, { replacing: etag! });
          if (next === undefined) throw refuse(await holder());
          etag = next;
          if (!stopped) schedule();
        } catch (err) {
          if (stopped) return;
          stopped = true;
          onLost(err as Error);
        }
      })();
    }, STALE_AFTER_MS / 6);
    timer.unref();
  };
  schedule();
  return {
    async release() {
      const lost = stopped;
      stopped = true;
      clearTimeout(timer);
      await beat;
      if (lost) return;
      // A failure to remove the lock does not fail a finished run: the next run takes it over once stale.
      try {
        if ((await holder())?.token === mine.token) await storage.remove(LOCK_KEY);
      } catch {
        // left for the next run to take over
      }
    },
  };
}
