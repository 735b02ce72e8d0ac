import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../io/files.js';
import { MetMatcher } from './matcher.js';
import { loadMetTree } from './tree.js';

/**
 * Compiled entity matchers kept between processes. Compiling a whole tree takes one to two
 * seconds and its loading half a second, in every worker thread of every process: a cluster's
 * tasks and a test suite's runs paid it again and again. The first compile of a tree writes the
 * matcher's bytes (MetMatcher.toBytes, about 15 MB) to the cache folder, named by the tree's
 * sha256 and a hash of the matcher's own code, so a changed tree or a changed matcher never reads
 * an old entry; later ones map it back in milliseconds. The folder is `WINNOW_CACHE_DIR`, else
 * `winnow-cache` in the system's temporary folder. A cache that cannot be read or written is
 * passed over: the matcher is compiled as before.
 */

const CODE = ['matcher', 'match-trie', 'match-forms', 'match-text', 'tree'];
let codeHash: string | undefined;

/** A hash of the modules that make a compiled matcher: what its bytes depend on besides the tree. */
function matcherCode(): string {
  if (codeHash) return codeHash;
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const hash = createHash('sha256');
  for (const name of CODE) hash.update(readFileSync(join(dirname(here), `${name}${ext}`)));
  return (codeHash = hash.digest('hex').slice(0, 16));
}

export function matcherCacheDir(): string {
  return process.env.WINNOW_CACHE_DIR || join(tmpdir(), 'winnow-cache');
}

export function matcherCacheFile(treeSha256: string): string {
  return join(matcherCacheDir(), `met-matcher-${treeSha256.slice(0, 32)}-${matcherCode()}.bin`);
}

/**
 * The matcher of the tree at `path`, whose sha256 the run planned: from the cache, or compiled
 * (the file checked against that sha256 first) and cached.
 */
export function loadMatcher(tree: { path: string; sha256: string }): { matcher: MetMatcher; cached: boolean } {
  const file = matcherCacheFile(tree.sha256);
  try {
    return { matcher: MetMatcher.fromBytes(readFileSync(file)), cached: true };
  } catch {
    // Not there yet, or unreadable: compile.
  }
  const loaded = loadMetTree(tree.path);
  if (loaded.hash !== tree.sha256) throw new Error(`${tree.path} changed since the run started (sha256 ${loaded.hash}, planned ${tree.sha256})`);
  const matcher = MetMatcher.fromTree(loaded);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, matcher.toBytes());
  } catch {
    // A read-only or full temporary folder costs the next process a compile, nothing more.
  }
  return { matcher, cached: false };
}
