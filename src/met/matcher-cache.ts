import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../io/files.js';
import { MetMatcher } from './matcher.js';
import { loadMetTree } from './tree.js';
import { makeDirs } from '../storage/dirs.js';

/**
 * Compiled entity matchers kept between processes. Compiling a whole tree takes one to two
 * seconds and its loading half a second, in every worker thread of every process: a cluster's
 * tasks and a test suite's runs paid it again and again. The first compile of a tree writes the
 * matcher's bytes (MetMatcher.toBytes, about 15 MB) to the cache folder, named by the tree's
 * sha256 and a hash of what else the bytes depend on: the matcher's own code and the runtime's
 * Unicode tables (case folding and letter classes come from them). An entry holds both again and
 * is used only when they match; later processes map it back in milliseconds. The folder is
 * `WINNOW_CACHE_DIR`, else `winnow-cache-<user>` in the system's temporary folder (one per user:
 * nobody else's entries are read). An entry that is missing, damaged or not ours, or a folder
 * that cannot be written, is passed over: the matcher is compiled as before. The folder keeps the
 * `KEEP` entries used last (an entry's mtime is its last use): each tree and each version of the
 * matcher's code leaves an entry, and checkouts of different versions may share the folder.
 */

export const KEEP = 8;

const CODE = ['matcher', 'match-trie', 'match-forms', 'match-text', 'tree'];
let codeHash: string | undefined;

/** A hash of the modules that make a compiled matcher: what its bytes depend on besides the tree. */
function matcherCode(): string {
  if (codeHash) return codeHash;
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const hash = createHash('sha256');
  for (const name of CODE) hash.update(readFileSync(join(dirname(here), `${name}${ext}`)));
  hash.update(`unicode ${process.versions.unicode} icu ${process.versions.icu}`);
  return (codeHash = hash.digest('hex').slice(0, 16));
}

function user(): string {
  try {
    return String(process.getuid?.() ?? userInfo().username);
  } catch {
    return 'user';
  }
}

export function matcherCacheDir(): string {
  return process.env.WINNOW_CACHE_DIR || join(tmpdir(), `winnow-cache-${user()}`);
}

export function matcherCacheFile(treeSha256: string): string {
  return join(matcherCacheDir(), `met-matcher-${treeSha256.slice(0, 32)}-${matcherCode()}.bin`);
}

/** All but the `KEEP` entries used last (by mtime; name order among equals), never `keep`. */
function evict(dir: string, keep: string): void {
  const entries = readdirSync(dir)
    .filter((name) => name.startsWith('met-matcher-') && name.endsWith('.bin'))
    .map((name) => {
      try {
        return { name, used: statSync(join(dir, name)).mtimeMs };
      } catch {
        return { name, used: -Infinity }; // gone meanwhile
      }
    })
    .sort((a, b) => b.used - a.used || (a.name < b.name ? -1 : 1));
  for (const e of entries.slice(KEEP)) if (e.name !== keep) rmSync(join(dir, e.name), { force: true });
}

/**
 * The matcher of the tree at `path`, whose sha256 the run planned: from the cache, or compiled
 * (the file checked against that sha256 first) and cached.
 */
export function loadMatcher(tree: { path: string; sha256: string }): { matcher: MetMatcher; cached: boolean } {
  let file: string | undefined;
  try {
    file = matcherCacheFile(tree.sha256);
    const bytes = readFileSync(file);
    const length = bytes.readUInt32LE(0);
    const owner = JSON.parse(bytes.subarray(4, 4 + length).toString('utf8')) as { tree?: string; code?: string };
    if (owner.tree === tree.sha256 && owner.code === matcherCode()) {
      const matcher = MetMatcher.fromBytes(bytes.subarray(4 + length));
      try {
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // A read-only entry is still a good one.
      }
      return { matcher, cached: true };
    }
  } catch {
    // Not there yet, damaged, or no cache at all: compile.
  }
  const loaded = loadMetTree(tree.path);
  if (loaded.hash !== tree.sha256) throw new Error(`${tree.path} changed since the run started (sha256 ${loaded.hash}, planned ${tree.sha256})`);
  const matcher = MetMatcher.fromTree(loaded);
  if (file) {
    try {
      // Padded so that the matcher's bytes start 8-byte aligned and are mapped, not copied.
      const json = JSON.stringify({ tree: tree.sha256, code: matcherCode() });
      const owner = Buffer.from(json.padEnd(Math.ceil((json.length + 4) / 8) * 8 - 4));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(owner.length);
      makeDirs(dirname(file));
      writeFileAtomic(file, Buffer.concat([length, owner, matcher.toBytes()]));
      evict(dirname(file), basename(file));
    } catch {
      // A read-only or full temporary folder costs the next process a compile, nothing more.
    }
  }
  return { matcher, cached: false };
}
