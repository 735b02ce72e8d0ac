/**
 * The cost of a big list rule in decide: the bundled sample shards decided with a domain list of
 * two entries, then of a million realistic domains (the same two planted among them, so both
 * reject the same documents). Only decide re-runs between the runs (a list edit changes only its
 * fingerprint); "cold" builds the list's Parquet file (work/lists/) in that run, "warm" finds it.
 * Usage: node dist/bench/lists.js [--entries 1000000] [--rounds 3] [--workers 2]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { openEngine, queryRows, sqlString } from '../src/io/duckdb.js';
import type { RunManifest } from '../src/phases/report.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
  },
});
const dir = join(PACKAGE_ROOT, '.bench', 'lists');
const shards = join(PACKAGE_ROOT, 'fixtures', 'shards');
const out = join(dir, 'run');
const PLANTED = ['cdc.gov', 'ninds.nih.gov'];

/** `n` distinct domains built from words of the fixture texts, common TLDs and subdomains, with a few comments and upper-case or padded lines. */
async function bigList(n: number): Promise<string> {
  const con = await openEngine();
  const words = (
    await queryRows<{ w: string }>(
      con,
      `SELECT DISTINCT w FROM (SELECT unnest(regexp_extract_all(lower(text), '[a-z]{3,10}')) AS w FROM read_parquet(${sqlString(join(shards, '*.parquet'))})) ORDER BY w`,
    )
  ).map((r) => r.w);
  con.closeSync();
  let seed = 12345;
  const rnd = (k: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const tlds = ['com', 'com', 'com', 'org', 'net', 'info', 'io', 'co.uk', 'de', 'fr', 'ru', 'cn', 'biz', 'xyz', 'online', 'site', 'com.br', 'in', 'nl', 'it'];
  const subs = ['www', 'shop', 'blog', 'news', 'm', 'mail', 'cdn', 'forum', 'store', 'app'];
  const seen = new Set<string>(PLANTED);
  const lines = ['# generated block list', '', ...PLANTED];
  while (seen.size < n + PLANTED.length) {
    let d = `${words[rnd(words.length)]}${rnd(3) === 0 ? '-' : ''}${words[rnd(words.length)]}${rnd(4) === 0 ? rnd(1000) : ''}.${tlds[rnd(tlds.length)]}`;
    if (rnd(5) === 0) d = `${subs[rnd(subs.length)]}.${d}`;
    if (seen.has(d)) continue;
    seen.add(d);
    lines.push(rnd(50) === 0 ? `  ${d.toUpperCase()} ` : d);
    if (rnd(10_000) === 0) lines.push('# section');
  }
  return `${lines.join('\n')}\n`;
}

function run(list: string, cold: boolean) {
  writeFileSync(join(dir, 'blocked.txt'), list);
  if (cold) rmSync(join(out, 'work', 'lists'), { recursive: true, force: true });
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'winnow.js'), 'run', join(dir, 'pipeline.yaml'), '--quiet', '--workers', values.workers!], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as RunManifest;
  const d = m.timings.decide!;
  return { seconds: d.seconds, cpu: d.cpu_seconds, tasks: d.tasks_run, rssMB: Math.round(d.peak_rss_bytes / 1e6), rejected: m.counts.rules.blocked_domain?.any };
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'domains.yaml'), 'name: domains\nrules:\n  - { name: blocked_domain, signal: url_domain, op: not_in_list, list: blocked.txt, match: domain }\n');
writeFileSync(
  join(dir, 'pipeline.yaml'),
  `name: bench-lists
input: { path: ${JSON.stringify(shards)}, columns: { text: text, id: id, url: url, source: source } }
signals: { families: [gopher_quality, gopher_repetition, c4, fineweb, url] }
c4: { terminal_punctuation: false }
dedup: { exact: { enabled: true, partitions: 4 } }
rules: [gopher-repetition, gopher-quality, c4, fineweb, ./domains.yaml]
output: { path: ${JSON.stringify(out)}, rejected_text: true }
`,
);
const small = `${PLANTED.join('\n')}\n`;
const big = await bigList(Number(values.entries));
console.log(
  `list: ${Number(values.entries).toLocaleString('en-US')} domains + ${PLANTED.length} planted, ${(big.length / 1e6).toFixed(1)} MB; ` +
    `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, ${values.workers} workers`,
);
run('# none yet\n', true); // annotate and dedup, once
console.log('\n| list | round | decide wall s | decide CPU s | tasks | peak RSS MB | rejected by the list |\n|---|---:|---:|---:|---:|---:|---:|');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const [what, list, cold] of [
    [`${PLANTED.length} entries`, small, true],
    [`${Number(values.entries).toLocaleString('en-US')} entries, cold`, big, true],
    [`${PLANTED.length} entries`, small, false],
    [`${Number(values.entries).toLocaleString('en-US')} entries, warm`, big, false],
  ] as const) {
    const r = run(list, cold);
    console.log(`| ${what} | ${round} | ${r.seconds} | ${r.cpu} | ${r.tasks} | ${r.rssMB} | ${r.rejected} |`);
  }
}
