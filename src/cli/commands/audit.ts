import { resolve } from 'node:path';
import { auditRun, formatAudit, type AuditOptions } from '../../audit/audit.js';
import { formatInspection, inspectParquet } from '../../audit/inspect.js';
import { openEngine } from '../../io/duckdb.js';
import { RunLayout } from '../../io/layout.js';
import { writeReport, writeStoredReport } from '../../report/write.js';
import { isS3Url } from '../../storage/s3.js';

/** `winnow audit --run DIR`: a sample of dropped (or kept) documents, as text or JSON lines. */
export async function auditCommand(flags: AuditOptions & { run: string; json?: boolean }): Promise<number> {
  const con = await openEngine();
  try {
    const audit = await auditRun(con, resolve(flags.run), flags);
    if (flags.json) for (const d of audit.documents) process.stdout.write(`${JSON.stringify(d)}\n`);
    else process.stdout.write(`${formatAudit(audit, flags)}\n`);
    return 0;
  } finally {
    con.closeSync();
  }
}

/** `winnow report --run DIR [--iteration N]`: report.html written again (a run on S3: uploaded beside its manifest, or to a local --out). */
export async function reportCommand(flags: { run: string; iteration?: number; out?: string }): Promise<number> {
  const con = await openEngine();
  try {
    const options = { ...(flags.iteration !== undefined ? { iteration: flags.iteration } : {}), ...(flags.out ? { out: resolve(flags.out) } : {}) };
    const { file, bytes } = isS3Url(flags.run) ? await writeStoredReport(con, new RunLayout(flags.run), options) : await writeReport(con, resolve(flags.run), options);
    process.stdout.write(`winnow report: ${file} (${bytes.toLocaleString('en-US')} bytes)\n`);
    return 0;
  } finally {
    con.closeSync();
  }
}

/** `winnow inspect FILE.parquet`. */
export async function inspectCommand(file: string, flags: { rows: number; json?: boolean }): Promise<number> {
  const con = await openEngine();
  try {
    const inspection = await inspectParquet(con, resolve(file), flags.rows);
    process.stdout.write(flags.json ? `${JSON.stringify(inspection, null, 2)}\n` : `${formatInspection(inspection)}\n`);
    return 0;
  } finally {
    con.closeSync();
  }
}
