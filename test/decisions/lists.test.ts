import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ListRule } from '../../src/config/ruleset.js';
import { listFile, materializeList } from '../../src/decisions/lists.js';
import { openEngine, sqlString } from '../../src/io/duckdb.js';
import { InputError } from '../../src/io/errors.js';
import { sha256File } from '../../src/io/files.js';
import { urlDomain } from '../../src/signals/url.js';
import { FIXTURE_SHARDS, parquetGlob, pipelineYaml, readManifest, rows, tempDir, winnow, writePipeline } from '../helpers.js';

const rule = (list: string, match: ListRule['match'] = 'domain'): ListRule => ({ name: 'r', signal: 'url_domain', op: 'not_in_list', list, match });

/** What decide ran before lists were materialized: the whole file as one string, split in SQL. The reference for the semantics. */
const readTextEntriesSql = (file: string, match: ListRule['match']) => {
  const normalize = match === 'domain' ? 'lower(trim(line))' : 'trim(line)';
  return `SELECT DISTINCT ${normalize} AS entry
    FROM (SELECT unnest(string_split(replace(content, chr(13), ''), chr(10))) AS line FROM read_text(${sqlString(file)}))
    WHERE trim(line) <> '' AND NOT starts_with(trim(line), '#') ORDER BY entry`;
};
const readTextEntries = (file: string, match: ListRule['match']) => rows<{ entry: string }>(readTextEntriesSql(file, match));
const entries = (file: string) => rows<{ entry: string }>(`SELECT entry FROM read_parquet(${sqlString(file)})`);

describe('a list file, materialized', () => {
  let con: DuckDBConnection;
  beforeAll(async () => {
    con = await openEngine();
  });

  it('holds the entries the old whole-file query found: comments, blanks, CRLF, lone CR, spaces, case, duplicates', async () => {
    const dir = tempDir();
    const list = join(dir, 'tricky.txt');
    const lines = [
      '\uFEFF# a comment after a byte-order mark',
      'Example.COM',
      '  spaced.example  ',
      '\ttabbed.example\t',
      '   # an indented comment',
      '',
      '   ',
      'a.example\r',
      'lone\rcr.example',
      '"quoted.example"',
      'back\\slash,comma;semicolon',
      'example.com',
      'ünïcode.example',
      'no-newline.example',
    ];
    writeFileSync(list, lines.join('\r\n'));
    // One deliberate difference: a UTF-8 byte-order mark (Windows editors write one) is not part of
    // the first line; the old query made it an entry, here "\uFEFF# a comment ...".
    const withoutBom = join(dir, 'no-bom.txt');
    writeFileSync(withoutBom, lines.join('\r\n').slice(1));
    for (const match of ['domain', 'exact'] as const) {
      const file = await materializeList(con, join(dir, 'work'), rule(list, match));
      expect(await entries(file)).toEqual(await readTextEntries(withoutBom, match));
      // (Checked in SQL: DuckDB's client drops a leading BOM when it hands a string to JavaScript.)
      const bom = (sql: string) => rows<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${sql}) WHERE starts_with(entry, chr(65279))`);
      expect(await bom(readTextEntriesSql(list, match))).toEqual([{ n: 1 }]);
      expect(await bom(`SELECT entry FROM read_parquet(${sqlString(file)})`)).toEqual([{ n: 0 }]);
    }
    const domain = (await entries(listFile(join(dir, 'work'), await sha256File(list), 'domain'))).map((r) => r.entry);
    expect(domain).toContain('example.com');
    expect(domain).toContain('lonecr.example');
    expect(domain).not.toContain('# an indented comment');
    expect(domain.filter((e) => e === 'example.com')).toHaveLength(1);
  });

  it('is named by content and match mode, built once, the same bytes however many tasks ask at once', async () => {
    const dir = tempDir();
    const list = join(dir, 'list.txt');
    writeFileSync(list, Array.from({ length: 5000 }, (_, i) => `site-${i}.example`).join('\n'));
    const workA = join(dir, 'a');
    const engines = await Promise.all(Array.from({ length: 4 }, () => openEngine()));
    const files = await Promise.all(engines.map((c) => materializeList(c, workA, rule(list))));
    for (const c of engines) c.closeSync();
    expect(new Set(files).size).toBe(1);
    const file = files[0]!;
    expect(basename(file)).toBe(`${await sha256File(list)}.domain.v1.parquet`);
    expect(readdirSync(join(workA, 'lists'))).toEqual([basename(file)]); // no lock or temporary file left
    const built = statSync(file).mtimeMs;
    expect(await materializeList(con, workA, rule(list))).toBe(file);
    expect(statSync(file).mtimeMs).toBe(built);
    const again = await materializeList(con, join(dir, 'b'), rule(list));
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);
    writeFileSync(list, 'other.example\n');
    expect(await materializeList(con, workA, rule(list))).not.toBe(file);
  });

  it('is built again over what a killed build left: a stale lock and a partial file', async () => {
    const dir = tempDir();
    const list = join(dir, 'list.txt');
    writeFileSync(list, 'a.example\n');
    const work = join(dir, 'work');
    const target = listFile(work, await sha256File(list), 'domain');
    mkdirSync(`${target}.lock`, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${target}.lock`, old, old);
    writeFileSync(`${target}.tmp-12345-1`, 'half a parquet file');
    expect(await materializeList(con, work, rule(list))).toBe(target);
    expect(await entries(target)).toEqual([{ entry: 'a.example' }]);
    expect(readdirSync(join(work, 'lists'))).toEqual([basename(target)]);
  });

  it('refuses a list that is not UTF-8, naming the file', async () => {
    const dir = tempDir();
    const list = join(dir, 'latin1.txt');
    writeFileSync(list, Buffer.from([0x6f, 0x6b, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const err = await materializeList(con, join(dir, 'work'), rule(list)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/latin1\.txt: a list file must be UTF-8/);
    expect(existsSync(listFile(join(dir, 'work'), await sha256File(list), 'domain'))).toBe(false);
  });
});

describe('list rules in a run over the sample shards', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  const blocked = join(dir, 'blocked.txt');
  let input: { id: string; domain: string | null; source: string }[] = [];

  /** Rule name → ids it rejected, from the run's rejected rows. */
  const rejectedBy = async () => {
    const r = await rows<{ rule: string; ids: string[] }>(
      `SELECT r.rule, list(id ORDER BY id) AS ids FROM (SELECT id, unnest(reasons) AS r FROM read_parquet(${parquetGlob(join(out, 'rejected'))})) GROUP BY 1`,
    );
    return new Map(r.map((x) => [x.rule, x.ids]));
  };
  const ids = (keep: (d: (typeof input)[number]) => boolean) => input.filter(keep).map((d) => d.id).sort();
  const underNih = (d: string | null) => d !== null && (d === 'nih.gov' || d.endsWith('.nih.gov'));

  beforeAll(async () => {
    input = (await rows<{ id: string; url: string | null; source: string }>(`SELECT id, url, source FROM read_parquet(${parquetGlob(FIXTURE_SHARDS)})`)).map(
      (r) => ({ id: r.id, domain: urlDomain(r.url), source: r.source }),
    );
    writeFileSync(blocked, '# NIH sites, whatever the case\r\nNIH.gov\r\n\r\n   # cdc.gov\r\n');
    // Exact match is case-sensitive: MEDQUAD/CDC lists nothing.
    writeFileSync(join(dir, 'sources.txt'), 'medquad/GARD\n  medquad/GHR\n# spamassassin/ham\nMEDQUAD/CDC\nmedquad/GARD\n');
    writeFileSync(
      join(dir, 'lists.yaml'),
      `name: lists
rules:
  - { name: blocked_domain, signal: url_domain, op: not_in_list, list: blocked.txt, match: domain }
  - { name: known_source, signal: source, op: in_list, list: sources.txt }
`,
    );
    writePipeline(
      dir,
      pipelineYaml({ input: FIXTURE_SHARDS, output: out, columns: '{ text: text, id: id, url: url, source: source }', families: '[url]', rules: '[./lists.yaml]' }),
    );
    const r = winnow(['run', join(dir, 'pipeline.yaml'), '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('drops a listed domain and its subdomains, keeps only listed values, after comments, CRLF, case and spaces', async () => {
    const by = await rejectedBy();
    expect(by.get('blocked_domain')).toEqual(ids((d) => underNih(d.domain)));
    expect(by.get('known_source')).toEqual(ids((d) => d.source !== 'medquad/GARD' && d.source !== 'medquad/GHR'));
    expect(ids((d) => underNih(d.domain)).length).toBeGreaterThan(1000);
    const manifest = readManifest(out);
    expect(manifest.counts.rules.blocked_domain.any).toBe(ids((d) => underNih(d.domain)).length);
  });

  it('materializes each list once for the run, by content and match mode, in work/lists', async () => {
    const files = readdirSync(join(out, 'work', 'lists')).sort();
    const expected = [listFile(join(out, 'work'), await sha256File(blocked), 'domain'), listFile(join(out, 'work'), await sha256File(join(dir, 'sources.txt')), 'exact')];
    expect(files).toEqual(expected.map((f) => basename(f)).sort());
  });

  it('re-decides every shard when only a list changes, and reuses everything when nothing does', async () => {
    writeFileSync(blocked, 'cdc.gov\ncancer.gov\n');
    expect(winnow(['run', join(dir, 'pipeline.yaml'), '--quiet']).code).toBe(0);
    let manifest = readManifest(out);
    expect(manifest.timings.annotate.tasks_run).toBe(0);
    expect(manifest.timings.decide.tasks_run).toBe(5);
    const cdcOrCancer = ids((d) => d.domain === 'cdc.gov' || d.domain === 'cancer.gov');
    expect(cdcOrCancer.length).toBeGreaterThan(100);
    expect((await rejectedBy()).get('blocked_domain')).toEqual(cdcOrCancer);

    expect(winnow(['run', join(dir, 'pipeline.yaml'), '--quiet']).code).toBe(0);
    manifest = readManifest(out);
    expect(manifest.timings.decide.tasks_run).toBe(0);
    expect(manifest.timings.decide.tasks_reused).toBe(5);
  });

  it('decides with a list of 200,000 domains as with the few it plants', async () => {
    const tlds = ['com', 'org', 'net', 'io', 'co.uk', 'de'];
    const domains = Array.from({ length: 200_000 }, (_, i) => `${i % 7 === 0 ? 'shop.' : ''}site-${(i * 7919) % 1_000_003}.${tlds[i % tlds.length]}`);
    domains.splice(123_456, 0, 'NINDS.NIH.gov');
    writeFileSync(blocked, `# generated\n${domains.join('\n')}\n`);
    expect(winnow(['run', join(dir, 'pipeline.yaml'), '--quiet']).code).toBe(0);
    const manifest = readManifest(out);
    expect(manifest.timings.decide.tasks_run).toBe(5);
    const ninds = ids((d) => d.domain === 'ninds.nih.gov');
    expect(ninds.length).toBeGreaterThan(100);
    expect((await rejectedBy()).get('blocked_domain')).toEqual(ninds);
    const file = listFile(join(out, 'work'), await sha256File(blocked), 'domain');
    expect((await rows<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(file)})`))[0]!.n).toBe(200_001);
  });
});
