import { WinnowError } from '../config/errors.js';
/**
 * Bad input data: a shard that cannot be read, a missing column, a row that cannot be processed.
 * The message always names the file, and the row and document id when there is one.
 */
export class InputError extends WinnowError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly where: { row?: number; id?: string } = {},
  ) {
    const at = [where.row !== undefined ? `row ${where.row}` : '', where.id !== undefined ? `id ${JSON.stringify(where.id)}` : '']
      .filter(Boolean)
      .join(', ');
    super(`${file}${at ? ` (${at})` : ''}: ${problem}`);
    this.name = 'InputError';
  }

  toJSON() {
    return { file: this.file, problem: this.problem, ...this.where, message: this.message };
  }
}

/**
 * An input shard changed (or vanished) after the run was planned: its planned parts, or the
 * version its other tasks read, are not what is there now. Not bad input (`input.on_error: skip`
 * does not skip it): the run must be planned again, or the shard put back.
 */
export class StalePlanError extends WinnowError {
  constructor(file: string, what: string) {
    super(`${file}: the shard ${what} since the run was planned: plan it again (winnow plan, or winnow run), or put the shard back as it was`);
    this.name = 'StalePlanError';
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EBUSY: 'it is busy',
  EIO: 'input/output error',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

const VERBS: Record<string, string> = {
  mkdir: 'create the folder',
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'move',
  unlink: 'remove',
  rmdir: 'remove the folder',
  rm: 'remove',
  scandir: 'list the folder',
  stat: 'look at',
  lstat: 'look at',
  copyfile: 'copy',
  utime: 'touch',
  realpath: 'resolve',
  access: 'access',
};

/**
 * A file-system error as one line ("cannot create the folder /runs/x: permission denied
 * (EACCES)"), or undefined for anything that is not one. Names the path, never file contents.
 */
export function describeSystemError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in REASONS)) return undefined;
  const verb = (e.syscall && VERBS[e.syscall]) ?? 'use';
  const dest = (e as { dest?: string }).dest;
  const target = dest ? `${e.path} to ${dest}` : (e.path ?? 'a file');
  return `cannot ${verb} ${target}: ${REASONS[e.code]} (${e.code})`;
}

/** DuckDB messages carry a SQL excerpt after a blank line; users need only the first part. */
export function duckMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n\n')[0]!.trim() || message;
}

/**
 * DuckDB errors the machine causes, not winnow (a folder it may not write, a full disk, memory
 * it cannot get): their first paragraph, or undefined for any other error.
 */
export function describeEngineError(err: unknown): string | undefined {
  const message = duckMessage(err);
  if (/^Out of Memory Error:/.test(message)) return `${message} (lower execution.workers or raise execution.memory_per_worker; larger work spills to the run's work/spill/)`;
  return /^(IO|Permission) Error:/.test(message) ? message : undefined;
}

/** A failure of the machine rather than of winnow or its input (file system, engine), in one line; else undefined. */
export const describeMachineError = (err: unknown): string | undefined => describeSystemError(err) ?? describeEngineError(err);
