/**
 * `npm run bench:parquet`: the benchmark behind winnow's choice of Parquet library. Reads the text
 * column of every shard of the bench corpus, and writes (id, text) back as zstd Parquet, on one
 * thread, with each candidate: DuckDB (@duckdb/node-api), hyparquet (pure JS) and parquet-wasm
 * (Rust arrow/parquet in WebAssembly, via apache-arrow). Reports MB/s of text.
 * Usage: node dist/bench/parquet-libraries.js [--docs 50000] [--shards 8]
 */
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import * as wasm from 'parquet-wasm';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine } from '../src/io/duckdb.js';
import { readShard } from '../src/io/parquet-reader.js';
import { ParquetPartWriter } from '../src/io/parquet-writer.js';
import { benchCorpus, shardFiles } from './corpus.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '50000' },
    shards: { type: 'string', default: '8' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});
const corpus = await benchCorpus(Number(values.docs), Number(values.shards), values.shared!);
const files = shardFiles(corpus.dir);
const out = join(PACKAGE_ROOT, '.bench', 'parquet-libraries');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const con = await openEngine({ threads: 1 });

async function timed(name: string, fn: () => Promise<number>): Promise<{ name: string; mbps: number }> {
  const start = performance.now();
  const bytes = await fn();
  const seconds = (performance.now() - start) / 1000;
  const mbps = Math.round((bytes / 1e6 / seconds) * 10) / 10;
  console.log(`${name.padEnd(44)} ${mbps.toString().padStart(7)} MB/s of text`);
  return { name, mbps };
}

const textBytes = (texts: ArrayLike<unknown>): number => {
  let n = 0;
  for (let i = 0; i < texts.length; i++) n += Buffer.byteLength(String(texts[i] ?? ''));
  return n;
};

// Every reader materializes each text as a JavaScript string, as annotate needs.
const results = [
  await timed('read: DuckDB, streamed vectors', async () => {
    let bytes = 0;
    for (const f of files) for await (const b of readShard(con, f, ['text'])) bytes += textBytes(b.columns[0]!);
    return bytes;
  }),
  await timed('read: hyparquet, row group by row group', async () => {
    let bytes = 0;
    for (const f of files) {
      const file = await asyncBufferFromFile(f);
      const metadata = await parquetMetadataAsync(file);
      let start = 0;
      for (const group of metadata.row_groups) {
        const end = start + Number(group.num_rows);
        await parquetRead({ file, metadata, columns: ['text'], rowStart: start, rowEnd: end, compressors, onComplete: (rows: unknown[][]) => (bytes += textBytes(rows.map((r) => r[0]))) });
        start = end;
      }
    }
    return bytes;
  }),
  await timed('read: parquet-wasm + apache-arrow', async () => {
    let bytes = 0;
    for (const f of files) {
      const table = tableFromIPC(wasm.readParquet(readFileSync(f), { columns: ['text'] }).intoIPCStream());
      bytes += textBytes(table.getChild('text')!.toArray() as string[]);
    }
    return bytes;
  }),
];

// Writers get the same rows, already in memory, and write zstd (hyparquet-writer: snappy, as it
// ships no zstd compressor).
const shardsInMemory: { ids: string[]; texts: string[]; bytes: number }[] = [];
for (const f of files) {
  const ids: string[] = [];
  const texts: string[] = [];
  for await (const b of readShard(con, f, ['id', 'text'])) {
    ids.push(...(b.columns[0] as string[]));
    texts.push(...(b.columns[1] as string[]));
  }
  shardsInMemory.push({ ids, texts, bytes: textBytes(texts) });
}
const total = shardsInMemory.reduce((a, s) => a + s.bytes, 0);
results.push(
  await timed('write: DuckDB appender + COPY, zstd', async () => {
    for (const [i, s] of shardsInMemory.entries()) {
      const dir = join(out, `duckdb-${i}`);
      mkdirSync(dir);
      const writer = await ParquetPartWriter.open(con, dir, [{ name: 'id', type: 'VARCHAR' }, { name: 'text', type: 'VARCHAR' }], { partRows: 1e9, partBytes: 1e12, rowGroupRows: 10_000 });
      for (let k = 0; k < s.ids.length; k += 2048) await writer.append([s.ids.slice(k, k + 2048), s.texts.slice(k, k + 2048)], Math.min(2048, s.ids.length - k));
      await writer.close();
    }
    return total;
  }),
  await timed('write: hyparquet-writer, snappy', async () => {
    for (const [i, s] of shardsInMemory.entries()) {
      const buffer = parquetWriteBuffer({ columnData: [{ name: 'id', data: s.ids, type: 'STRING' }, { name: 'text', data: s.texts, type: 'STRING' }], rowGroupSize: 10_000 });
      writeFileSync(join(out, `hyparquet-${i}.parquet`), new Uint8Array(buffer));
    }
    return total;
  }),
  await timed('write: parquet-wasm + apache-arrow, zstd', async () => {
    for (const [i, s] of shardsInMemory.entries()) {
      const ipc = tableToIPC(tableFromArrays({ id: s.ids, text: s.texts }), 'stream');
      const props = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD).setMaxRowGroupSize(10_000).build();
      writeFileSync(join(out, `wasm-${i}.parquet`), wasm.writeParquet(wasm.Table.fromIPCStream(ipc), props));
    }
    return total;
  }),
);
writeFileSync(join(PACKAGE_ROOT, '.bench', 'parquet-libraries.json'), `${JSON.stringify({ corpus, results }, null, 2)}\n`);
