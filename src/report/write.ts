import { existsSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileAtomic } from '../io/files.js';
import { InputError } from '../io/errors.js';
import { join } from 'node:path';
import { iterationOutputs } from '../audit/iteration.js';
import { RunLayout } from '../io/layout.js';
import { reportData, type ReportOptions } from './data.js';
import { mirrorRun } from './mirror.js';
import { reportHtml } from './html.js';

/** Where a run's report goes: beside its manifest. */
export const REPORT_FILE = 'report.html';

/**
 * Writes `report.html` for one finished iteration of a run in a local folder (the latest by
 * default) beside that iteration's manifest, or to `out`: the report's data from the run's files,
 * drawn by the page itself. Returns the file's path, its run key and size.
 */
export async function writeReport(
  con: DuckDBConnection,
  runDir: string,
  options: { iteration?: number; out?: string; texts?: ReportOptions['texts'] } = {},
): Promise<{ file: string; key: string; bytes: number }> {
  if (!existsSync(runDir)) throw new InputError(runDir, 'no such run folder; give the --output folder of a winnow run');
  const it = await iterationOutputs(new RunLayout(runDir), options.iteration);
  const data = await reportData(con, runDir, it, options.texts ? { texts: options.texts } : {});
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
  const key = `${it.prefix}${REPORT_FILE}`;
  const file = options.out ?? join(runDir, key);
  writeFileAtomic(file, html);
  return { file, key, bytes: Buffer.byteLength(html) };
}

/**
 * The report of a run on S3: what it reads is mirrored into a local scratch folder (the signals
 * and rejected rows without their text, src/report/mirror.ts), the page drawn there and uploaded
 * beside the iteration's manifest, or written to the local file `out`.
 */
export async function writeStoredReport(con: DuckDBConnection, layout: RunLayout, options: { iteration?: number; out?: string } = {}): Promise<{ file: string; bytes: number }> {
  const dir = await layout.storage.scratch('report');
  try {
    const mirror = await mirrorRun(layout, dir, options.iteration);
    const drawn = await writeReport(con, dir, {
      ...(options.iteration !== undefined ? { iteration: options.iteration } : {}),
      out: options.out ?? join(dir, 'drawn.html'),
      texts: (keys) => mirror.texts(con, keys),
    });
    if (options.out) return drawn;
    await layout.storage.commitFile(drawn.file, drawn.key);
    return { file: layout.where(drawn.key), bytes: drawn.bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The report at the end of a run (`winnow run`, or the cluster's report task), when the pipeline
 * draws one (output.report): from the run's files in place, or for a run on S3 from a local
 * mirror of what it reads. Returns where it is.
 */
export async function reportAfterRun(layout: RunLayout, enabled: boolean): Promise<string | undefined> {
  if (!enabled) return undefined;
  const { openEngine } = await import('../io/duckdb.js');
  const con = await openEngine();
  try {
    return layout.isLocal ? (await writeReport(con, layout.root)).file : (await writeStoredReport(con, layout)).file;
  } finally {
    con.closeSync();
  }
}
