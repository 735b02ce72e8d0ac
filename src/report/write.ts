import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileAtomic } from '../io/files.js';
import { InputError } from '../io/errors.js';
import { join } from 'node:path';
import { iterationOutputs } from '../audit/iteration.js';
import { RunLayout } from '../io/layout.js';
import { reportData } from './data.js';
import { reportHtml } from './html.js';

/** Where a run's report goes: beside its manifest. */
export const REPORT_FILE = 'report.html';

/**
 * Writes `report.html` for one finished iteration of a run in a local folder (the latest by
 * default) beside that iteration's manifest, or to `out`: the report's data from the run's files,
 * drawn by the page itself. Returns the file's path and size.
 */
export async function writeReport(con: DuckDBConnection, runDir: string, options: { iteration?: number; out?: string } = {}): Promise<{ file: string; bytes: number }> {
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const it = await iterationOutputs(new RunLayout(runDir), options.iteration);
  const data = await reportData(con, runDir, it);
  const { manifest } = it;
  // Of the tree's coverage, the summary the page draws (the manifest's per-node balance is large).
  const met = manifest.met && {
    tree: manifest.met.tree,
    documents: manifest.met.documents,
    with_entities: manifest.met.with_entities,
    with_rare: manifest.met.with_rare,
    by_type: manifest.met.by_type,
    ...(manifest.met.balance ? { balance: { settings: manifest.met.balance.settings, documents: manifest.met.balance.documents, distribution: manifest.met.balance.distribution } } : {}),
  };
  const html = reportHtml(data, met ? { met } : {});
  const file = options.out ?? join(runDir, it.prefix, REPORT_FILE);
  writeFileAtomic(file, html);
  return { file, bytes: Buffer.byteLength(html) };
}

/**
 * The report at the end of a run (`winnow run`, or the cluster's report task), when the pipeline
 * draws one (output.report) and the run folder is local: the page is drawn from the run's files
 * in place. A run on S3 gets its report from `winnow report` on a local copy.
 */
export async function reportAfterRun(layout: RunLayout, enabled: boolean): Promise<string | undefined> {
  if (!enabled || !layout.isLocal) return undefined;
  const { openEngine } = await import('../io/duckdb.js');
  const con = await openEngine();
  try {
    return (await writeReport(con, layout.root)).file;
  } finally {
    con.closeSync();
  }
}
