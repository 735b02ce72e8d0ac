import { existsSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from './errors.js';
import { compileGlob } from './glob.js';

export interface InputShard {
  index: number;
  /** Absolute path. */
  path: string;
  /** Path relative to the input root, with "/" separators: the prefix of every document key. */
  name: string;
}

/**
 * Lists the Parquet shards of an input: a folder (every *.parquet below it), one file, or a glob.
 * Shards are sorted by name in code-point order, so their order (and every keeper choice that
 * depends on it) is the same on every machine and whatever order the file system lists them in.
 */
export async function listShards(input: string): Promise<{ root: string; shards: InputShard[] }> {
  let root: string;
  let files: string[];
  if (isDynamicPattern(input)) {
    root = globBase(input);
    const pattern = compileGlob(toPosix(resolve(input)));
    files = (await glob(pattern.walk, { absolute: true, onlyFiles: true })).filter((f) => pattern.matches(toPosix(resolve(f))));
  } else if (!existsSync(input)) {
    throw new InputError(input, 'the input does not exist');
  } else if (statSync(input).isDirectory()) {
    root = input;
    files = await glob('**/*.parquet', { cwd: input, absolute: true, onlyFiles: true });
  } else {
    root = dirname(input);
    files = [input];
  }
  const named = files.map((f) => ({ path: resolve(f), name: toPosix(relative(root, resolve(f))) || basename(f) }));
  named.sort((a, b) => compareCodePoints(a.name, b.name));
  return { root, shards: named.map((s, index) => ({ index, ...s })) };
}

function globBase(pattern: string): string {
  const parts = resolve(pattern).split(sep);
  const fixed: string[] = [];
  for (const part of parts) {
    if (isDynamicPattern(part)) break;
    fixed.push(part);
  }
  return fixed.join(sep) || sep;
}

/** Code-point order (the order of UTF-8 bytes), which is how DuckDB compares strings too. */
export const compareCodePoints = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

const toPosix = (p: string): string => p.split(sep).join('/');
