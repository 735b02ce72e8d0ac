import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { RunKeys } from '../io/layout.js';
import { localPaths } from '../storage/storage.js';
import { computeCoverage, type MetCoverage, type SourceTotals } from '../met/coverage.js';
import { parseMetTree } from '../met/tree.js';
import type { WeightSettings } from '../met/weights.js';
import type { TaskContext } from './context.js';
import type { MetTallyResult } from './met-tally.js';

/**
 * One task after the tallies: coverage of the entity tree before and after filtering, the
 * per-node counts, the index `winnow met docs` reads and the gap report, committed under met/.
 */
export async function metCoverage(ctx: TaskContext, tallies: readonly MetTallyResult[]): Promise<MetCoverage> {
  const { con, layout, pipeline } = ctx;
  if (!pipeline.metTree) throw new Error('coverage planned without an entity tree');
  const bytes = readFileSync(pipeline.metTree.path);
  const tree = parseMetTree(bytes, pipeline.metTree.path);
  if (tree.hash !== pipeline.metTree.sha256) throw new Error(`${pipeline.metTree.path} changed since the run started`);
  const scratch = await layout.scratch('coverage', 'met');
  const files = { nodes: join(scratch, 'nodes.parquet'), index: join(scratch, 'index.parquet'), gapsCsv: join(scratch, 'met-gaps.csv'), gapsJson: join(scratch, 'met-gaps.json') };
  const coverage = await computeCoverage(
    con,
    tree,
    await localPaths(layout.storage, tallies.map((t) => t.file)),
    mergeTotals(tallies),
    {
      thinDocuments: pipeline.met.thin_documents,
      gapRows: pipeline.met.gap_rows,
      ...(pipeline.met.weights.enabled ? { weights: weightSettings(pipeline.met.weights) } : {}),
    },
    scratch,
    files,
  );
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  writeFileSync(join(scratch, 'tree.json.gz'), gz ? bytes : gzipSync(bytes, { level: 9 }));
  for (const name of ['nodes', 'index', 'gapsCsv', 'gapsJson'] as const) await layout.storage.commitFile(files[name], RunKeys.met[name]);
  await layout.storage.commitFile(join(scratch, 'tree.json.gz'), RunKeys.met.tree);
  await layout.storage.writeJson(RunKeys.met.coverage, coverage);
  rmSync(scratch, { recursive: true, force: true });
  return coverage;
}

const weightSettings = ({ temperature, max_repeat, min_weight }: WeightSettings): WeightSettings => ({ temperature, max_repeat, min_weight });

function mergeTotals(tallies: readonly MetTallyResult[]): Record<string, SourceTotals> {
  const out: Record<string, SourceTotals> = {};
  for (const t of tallies) {
    for (const [name, v] of Object.entries(t.totals)) {
      const o = (out[name] ??= { documents: { before: 0, after: 0 }, with_entities: { before: 0, after: 0 } });
      o.documents.before += v.documents.before;
      o.documents.after += v.documents.after;
      o.with_entities.before += v.with_entities.before;
      o.with_entities.after += v.with_entities.after;
    }
  }
  return out;
}
