import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileAtomic } from '../io/files.js';
import { InputError } from '../io/errors.js';
import { RunKeys, RunLayout } from '../io/layout.js';
import type { RunManifest } from '../phases/report.js';
import { reportData } from './data.js';
import { reportHtml } from './html.js';

/** Where a run's report goes: beside its manifest. */
export const REPORT_FILE = 'report.html';

/**
 * Writes `report.html` for a finished run in a local folder (its latest iteration): the report's
 * data from the run's files, drawn by the page itself. Returns the file's path and size.
 */
export async function writeReport(con: DuckDBConnection, runDir: string, out = `${runDir}/${REPORT_FILE}`): Promise<{ file: string; bytes: number }> {
  const layout = new RunLayout(runDir);
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const manifest = await layout.storage.readJson<RunManifest>(RunKeys.manifest);
  if (!manifest) throw new InputError(runDir, 'not a finished winnow run (no manifest.json): run `winnow run` first');
  const data = await reportData(con, runDir, manifest);
  // Of the tree's coverage, the summary the page draws (the manifest's per-node balance is large).
  const met = manifest.met && { tree: manifest.met.tree, documents: manifest.met.documents, with_entities: manifest.met.with_entities, with_rare: manifest.met.with_rare, by_type: manifest.met.by_type };
  const html = reportHtml(data, met ? { met } : {});
  writeFileAtomic(out, html);
  return { file: out, bytes: Buffer.byteLength(html) };
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
