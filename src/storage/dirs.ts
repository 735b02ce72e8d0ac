import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one folder at a time. Node 20's `mkdirSync(path, { recursive: true })` loops forever
 * when a parent refuses folders without saying so (under /proc it answers ENOENT for ever): a run
 * given `--output /proc/x/run` hung. This fails on the first folder that cannot be made.
 */
export function makeDirs(path: string): void {
  // The path as given, not resolve()d: "link/../x" is x beside the link's target, not beside the link.
  const missing: string[] = [];
  for (let dir = path; ; ) {
    try {
      mkdirSync(dir);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        if (!statSync(dir).isDirectory()) throw err;
        break;
      }
      const parent = dirname(dir);
      if (code !== 'ENOENT' || parent === dir) throw err;
      missing.push(dir);
      dir = parent;
    }
  }
  // Parents first; another process making the same folder meanwhile is fine.
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(missing[i]!).isDirectory()) throw err;
    }
  }
}
