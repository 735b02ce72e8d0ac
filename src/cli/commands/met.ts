import { dirname, resolve } from 'node:path';
import { buildMetTree, writeMetTree } from '../../met/build/build.js';
import { makeDirs } from '../../storage/dirs.js';

const n = (x: number): string => x.toLocaleString('en-US');

/** `winnow met build <sources.yaml> -o <tree.json.gz>`: compiles an entity tree from the ontologies a sources file lists. */
export function metBuildCommand(sources: string, flags: { out: string; quiet?: boolean; json?: boolean }): number {
  const started = process.hrtime.bigint();
  const built = buildMetTree(resolve(sources), { gzip: !flags.out.endsWith('.json') });
  const out = resolve(flags.out);
  makeDirs(dirname(out));
  writeMetTree(out, built);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const b = built.file.build as { nodes: number; by_type: Record<string, number>; rare: number; synonyms: number; excluded: number; excluded_by_reason: Record<string, number>; max_depth: number };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ path: flags.out, bytes: built.bytes.length, sha256: built.sha256, json_sha256: built.json_sha256, build: built.file.build }, null, 2)}\n`);
  } else if (!flags.quiet) {
    const lines = [
      `winnow met build "${built.file.name}": ${n(b.nodes)} nodes (${Object.entries(b.by_type).map(([t, c]) => `${n(c)} ${t}`).join(', ')}), ${n(b.rare)} rare, depth up to ${b.max_depth}, ${seconds.toFixed(1)} s`,
      `  names     ${n(b.synonyms)} synonyms besides the labels; ${n(b.excluded)} names excluded (${Object.entries(b.excluded_by_reason).map(([r, c]) => `${r} ${n(c)}`).join(', ')})`,
      `  sources   ${built.file.sources.map((s) => `${s.name} (${s.files.length} file${s.files.length === 1 ? '' : 's'})`).join(', ')}`,
      `  written   ${flags.out} (${n(built.bytes.length)} bytes, sha256 ${built.sha256})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}
