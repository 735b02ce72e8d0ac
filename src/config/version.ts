import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The winnow package root, found from this module whether it runs from src/ (tests) or dist/. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'winnow') return d;
    if (dirname(d) === d) throw new Error(`winnow's package.json not found above ${dir}`);
  }
}

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
export const WINNOW_VERSION = pkg.version;

let revision: string | undefined;
/** The git revision winnow runs from, with `-dirty` for uncommitted changes; "unknown" outside a checkout. */
export function gitRevision(): string {
  if (revision !== undefined) return revision;
  revision = 'unknown';
  if (existsSync(join(PACKAGE_ROOT, '.git'))) {
    try {
      const git = (args: string[]) =>
        execFileSync('git', args, { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const head = git(['rev-parse', 'HEAD']);
      const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
      revision = dirty ? `${head}-dirty` : head;
    } catch {
      // not a git checkout we can read (no commits yet, no git binary): keep "unknown"
    }
  }
  return revision;
}
