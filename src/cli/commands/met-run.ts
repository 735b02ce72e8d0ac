import { resolve } from 'node:path';
import { formatCoverage, formatNodeDocs, nodeDocs, readCoverage } from '../../audit/met.js';
import { openEngine } from '../../io/duckdb.js';

/** `winnow met coverage --run DIR`: the run's coverage of the entity tree, before and after filtering. */
export async function metCoverageCommand(flags: { run: string; json?: boolean }): Promise<number> {
  const coverage = await readCoverage(resolve(flags.run));
  process.stdout.write(flags.json ? `${JSON.stringify(coverage, null, 2)}\n` : `${formatCoverage(coverage)}\n`);
  return 0;
}

/** `winnow met docs --run DIR <node>`: every kept document under a node; --out exports their curated rows. */
export async function metDocsCommand(node: string, flags: { run: string; limit: number; out?: string; json?: boolean }): Promise<number> {
  const con = await openEngine();
  try {
    const answer = await nodeDocs(con, resolve(flags.run), node, { limit: flags.limit, ...(flags.out ? { out: resolve(flags.out) } : {}) });
    process.stdout.write(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatNodeDocs(answer)}\n`);
    return answer.documents > 0 ? 0 : 1;
  } finally {
    con.closeSync();
  }
}
