import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkKey, type RunStorage } from './storage.js';
import { makeDirs } from './dirs.js';

/** JSON as winnow writes it: two-space indent, a final newline (manifests are read by people and diffed). */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Numbers this thread's JSON temporaries, which are named by process, thread and this count. */
let writes = 0;
/**
 * And by a random token: process ids repeat across the machines and pods that share a run folder
 * (in a container winnow is often process 1), and so would the temporaries' names.
 */
const PROCESS_TOKEN = randomUUID().slice(0, 8);

/**
 * A run in a local folder (or a network file system mounted as one). JSON is written to a
 * temporary, fsynced and renamed into place; files are committed by renaming them from scratch
 * folders inside the run folder, so on the same file system; folders are made as needed (mkdir -p).
 * Calls are synchronous inside the async methods: a worker thread runs one task, and its event loop
 * has nothing else to do meanwhile.
 */
export class LocalStorage implements RunStorage {
  /**
   * @param root the run folder
   * @param scratchKey the folder, relative to root, that holds the tasks' scratch folders
   */
  constructor(
    readonly root: string,
    private readonly scratchKey: string,
  ) {
    checkKey(scratchKey);
  }

  get location(): string {
    return this.root;
  }

  get localRoot(): string {
    return this.root;
  }

  /**
   * The temporary is in the scratch root, not beside the file as write-file-atomic puts it: a write
   * killed half-way (SIGKILL) then leaves its temporary in work/tmp/, never a stray
   * `part-00003.json.<n>` in manifests/ that the task's re-run would not replace. Its name is unique
   * to the process and thread, so a run that lost its lock and is still finishing a write cannot
   * write into the temporary of the run that took over.
   */
  async writeJson(key: string, value: unknown): Promise<void> {
    const text = jsonText(value); // throws (a BigInt, a cycle) before anything is written
    const target = this.path(key);
    const tmp = this.path(`${this.scratchKey}/.json-${process.pid}-${threadId}-${++writes}-${PROCESS_TOKEN}`);
    makeDirs(dirname(tmp));
    makeDirs(dirname(target));
    try {
      const fd = openSync(tmp, 'w');
      try {
        writeFileSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, target);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    let text: string;
    try {
      text = readFileSync(this.path(key), 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  async exists(key: string): Promise<boolean> {
    return existsSync(this.path(key));
  }

  async stat(key: string): Promise<{ bytes: number; etag: string } | undefined> {
    const stat = statSync(this.path(key), { throwIfNoEntry: false });
    return stat?.isFile() ? { bytes: stat.size, etag: String(stat.mtimeMs) } : undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const { folder, start } = splitPrefix(prefix);
    const keys: string[] = [];
    const walk = (dir: string, start: string) => {
      for (const e of entries(join(this.root, dir))) {
        if (!e.name.startsWith(start)) continue;
        if (e.isDirectory()) walk(`${dir}${e.name}/`, '');
        else keys.push(`${dir}${e.name}`);
      }
    };
    walk(folder, start);
    return keys.sort();
  }

  async remove(prefix: string): Promise<void> {
    if (prefix === '') throw new Error(`refusing to remove everything in ${this.root} (an empty prefix)`);
    const { folder, start } = splitPrefix(prefix);
    if (start === '') {
      rmSync(join(this.root, folder), { recursive: true, force: true });
      return;
    }
    for (const e of entries(join(this.root, folder))) {
      if (e.name.startsWith(start)) rmSync(join(this.root, folder, e.name), { recursive: true, force: true });
    }
  }

  async commitFile(localPath: string, key: string): Promise<void> {
    const target = this.path(key);
    makeDirs(dirname(target));
    renameSync(localPath, target);
  }

  async commitDir(localDir: string, key: string): Promise<void> {
    const target = this.path(key);
    rmSync(target, { recursive: true, force: true });
    makeDirs(dirname(target));
    renameSync(localDir, target);
  }

  async localPath(key: string): Promise<string> {
    return this.path(key);
  }

  async clearCache(): Promise<void> {}

  async scratch(name: string): Promise<string> {
    if (name.includes('/')) throw new Error(`a scratch folder's name is one path segment, not ${JSON.stringify(name)}`);
    const dir = this.path(`${this.scratchKey}/${name}`);
    rmSync(dir, { recursive: true, force: true });
    makeDirs(dir);
    return dir;
  }

  private path(key: string): string {
    return join(this.root, checkKey(key));
  }
}

/** A prefix as the folder to look in (with its '/', or '') and the start of the names there. */
function splitPrefix(prefix: string): { folder: string; start: string } {
  checkKey(prefix, 'prefix');
  const cut = prefix.lastIndexOf('/') + 1;
  return { folder: prefix.slice(0, cut), start: prefix.slice(cut) };
}

/** A folder's entries; none when it does not exist (an object store has no empty folders either). */
function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

/** Nothing there: no such file, or a file where the path needs a folder. */
const isMissing = (err: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');
