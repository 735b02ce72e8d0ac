import { loadPipeline } from '../../config/load.js';
import { checkPipeline } from '../../execution/check.js';
import { openEngine } from '../../io/duckdb.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { planParts } from '../../execution/parts.js';
import { InputError } from '../../io/errors.js';
import { listShards, readPart, type ShardPart } from '../../io/inputs.js';
import { isS3Url } from '../../storage/s3.js';

/** No row groups: what a reader of the footer alone needs (the file's head and tail). */
const FOOTER_ONLY: ShardPart = { rows: [0, 0], bytes: [4, 4] };
import { checkMappedColumns, inspectShard } from '../../io/parquet-reader.js';

/**
 * Checks a pipeline, its rule sets and (with inputs) every shard's footer for the mapped columns,
 * without running anything. Prints what it found; exits non-zero on any problem.
 */
export async function validateCommand(pipelineFile: string, flags: { input?: string; inputs?: boolean }): Promise<number> {
  const pipeline = loadPipeline(pipelineFile, { input: flags.input });
  checkPipeline(pipeline);
  const rules = pipeline.ruleSets.reduce((a, s) => a + s.rules.length, 0);
  process.stdout.write(`${pipelineFile}: ok (pipeline "${pipeline.name}", ${rules} rules in ${pipeline.ruleSets.length} rule sets)\n`);
  for (const m of pipeline.models) {
    process.stdout.write(`  model ${m.name}: P(${m.label}) from ${m.path} (${m.bytes.toLocaleString('en-US')} bytes, sha256 ${m.sha256.slice(0, 12)}; preprocessing from ${m.preprocessing_from})\n`);
  }
  if (flags.inputs === false) return 0;

  const { shards } = await listShards(pipeline.input.path);
  if (shards.length === 0) {
    process.stdout.write(`input ${pipeline.input.path}: no Parquet shards found\n`);
    return 1;
  }
  const con = await openEngine();
  let problems = 0;
  let rows = 0;
  // A shard on S3 is checked from its footer alone: fetched with ranged GETs into a sparse local file.
  const planned = await planParts(shards, pipeline.input.columns.text, pipeline.execution.part_bytes);
  const scratch = mkdtempSync(join(tmpdir(), 'winnow-validate-'));
  try {
    for (const shard of planned) {
      try {
        // A footer winnow's planner could not read is fetched whole: DuckDB says what is wrong with it.
        const file = isS3Url(shard.path) ? (await readPart(shard, shard.parts ? FOOTER_ONLY : undefined, !shard.parts, scratch, false)).path : shard.path;
        const schema = await inspectShard(con, file, shard.path);
        checkMappedColumns(shard.path, schema, pipeline.input.columns);
        rows += schema.rows;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        problems++;
        process.stdout.write(`  ${(err as Error).message}\n`);
      } finally {
        rmSync(join(scratch, basename(shard.path)), { force: true });
      }
    }
  } finally {
    con.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(
    `input ${pipeline.input.path}: ${shards.length} shards, ${rows.toLocaleString('en-US')} rows` +
      `${problems > 0 ? `, ${problems} with problems` : ', columns present'}\n`,
  );
  return problems > 0 ? 1 : 0;
}
