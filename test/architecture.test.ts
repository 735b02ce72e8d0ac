import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** Layers from top to bottom (docs/architecture.md); a module imports its own folder or lower ones. */
const RANK: Record<string, number> = { cli: 0, refinement: 0.5, cluster: 0.5, execution: 1, report: 1.1, audit: 1.2, phases: 2, training: 2, signals: 3, decisions: 3, dedup: 3.25, models: 3.4, met: 3.45, phi: 3.47, text: 3.5, io: 4, storage: 4.5, config: 5 };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('src/ layering', () => {
  const src = join(ROOT, 'src');
  const files = sources(src);

  it('has a rank for every folder', () => {
    for (const f of files) expect(RANK, f).toHaveProperty(relative(src, f).split('/')[0]!);
  });

  it('imports only downwards (or within a folder), so there are no cycles between folders', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = relative(src, file).split('/')[0]!;
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(src, resolve(dirname(file), m[1]!)).split('/')[0]!;
        if (target !== from && RANK[target]! <= RANK[from]!) violations.push(`${relative(src, file)} imports ${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('what a worker thread loads', () => {
  /** Packages and modules a file loads at start: static imports that bring a value (not `import type`, not `import()`). */
  function staticValueImports(file: string): string[] {
    const text = readFileSync(file, 'utf8');
    const out: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'|^import\s+'([^']+)'/gm)) {
      if (m[4]) {
        out.push(m[4]);
        continue;
      }
      if (m[1]) continue;
      const names = m[2]!;
      const braced = /^\{([^}]*)\}$/s.exec(names.trim());
      if (braced && braced[1]!.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '))) continue;
      out.push(m[3]!);
    }
    return out;
  }

  it('leaves out the configuration parsers and the second Parquet reader', () => {
    // Every worker thread pays for each module it loads (a run starts one per core): the schema
    // library, the YAML parser and the command line belong to the main thread, the UTF-8 checker's
    // Parquet reader to the error path.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [join(ROOT, 'src', 'execution', 'worker.ts')];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of staticValueImports(file)) {
        if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
        else if (!spec.startsWith('node:')) packages.add(spec);
      }
    }
    expect(seen.size).toBeGreaterThan(50);
    for (const heavy of ['zod', 'yaml', 'commander', 'hyparquet', 'hyparquet-compressors']) expect([...packages], heavy).not.toContain(heavy);
  });
});

describe('what an installed winnow needs', () => {
  it('every package src/ loads at run time is a dependency, not a devDependency (npm ci --omit=dev, the Docker image)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const used = new Set<string>();
    for (const file of sources(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      // Value imports (not `import type`), dynamic imports and require() of a package.
      const specs = [
        ...[...text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?'([^'.][^']*)'/gm)].filter((m) => !/^\s*(?:import|export)\s+\{\s*(?:type\s+[^,}]+,?\s*)+\}/.test(m[0])).map((m) => m[1]!),
        ...[...text.matchAll(/\b(?:import|require)\(\s*'([^'.][^']*)'\s*\)/g)].map((m) => m[1]!),
      ];
      for (const spec of specs) if (!spec.startsWith('node:')) used.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((p) => !(p in pkg.dependencies)).sort()).toEqual([]);
  });
});

describe('source text', () => {
  // A regular expression written through a tool that read "\b" as a backspace matched nothing and
  // failed no test until its detector was measured: control characters have no place in sources.
  it('has no control characters but newlines in src/', () => {
    const bad: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.ts$/.test(entry.name)) {
          const text = readFileSync(path, 'utf8');
          const at = text.search(/[\u0000-\u0009\u000B-\u001F]/);
          if (at >= 0) bad.push(`${path.slice(ROOT.length + 1)}: character ${text.charCodeAt(at)} at line ${text.slice(0, at).split('\n').length}`);
        }
      }
    };
    walk(join(ROOT, 'src'));
    expect(bad).toEqual([]);
  });
});
