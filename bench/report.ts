/**
 * `npm run bench:report`: the report of a large run. The bench corpus (1,000,000 documents of real
 * paragraphs by default, 3% exact copies) is curated with the Gopher, C4 and FineWeb rules, exact
 * and near dedup and boilerplate lines; then `winnow report` draws its report.html, timed in its
 * own process (wall seconds, peak RSS), and headless Chromium (Debian's, when installed) opens the
 * file: the time until every section is drawn. The file's size does not grow with the run: the
 * bench prints it beside the dry run's.
 * Usage: node dist/bench/report.js [--docs 1000000] [--shards 32] [--opens 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/config/version.js';
import { benchPipeline } from './corpus.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000000' },
    shards: { type: 'string', default: '32' },
    opens: { type: 'string', default: '3' },
    shared: { type: 'string', default: join(PACKAGE_ROOT, '..', 'shared') },
  },
});
const { corpus, run, pipeline } = await benchPipeline(
  'report',
  Number(values.docs),
  Number(values.shards),
  values.shared!,
  `signals: { families: [gopher_quality, gopher_repetition, c4, fineweb] }
dedup:
  exact: { enabled: true, partitions: 8 }
  near: { enabled: true }
  lines: { enabled: true }
rules: [basic, gopher-quality, gopher-repetition, c4, fineweb]
`,
  'report: false',
);
const bin = join(PACKAGE_ROOT, 'bin', 'winnow.js');
const started = performance.now();
execFileSync(process.execPath, [bin, 'run', pipeline, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const runSeconds = (performance.now() - started) / 1000;

/** Runs winnow under /usr/bin/time when it exists (peak RSS), else alone; returns wall seconds and peak RSS in MB. */
function timed(args: string[]): { seconds: number; rssMb: number | null } {
  const t = performance.now();
  const gnuTime = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, ...args], { encoding: 'utf8' });
  if (gnuTime.error === undefined && gnuTime.status === 0) {
    const rss = Number(gnuTime.stderr.trim().split('\n').at(-1));
    return { seconds: (performance.now() - t) / 1000, rssMb: Number.isFinite(rss) ? rss / 1024 : null };
  }
  const plain = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (plain.status !== 0) throw new Error(`winnow ${args.join(' ')} failed: ${plain.stderr}`);
  return { seconds: (performance.now() - t) / 1000, rssMb: null };
}

const report = timed(['report', '--run', run]);
const file = join(run, 'report.html');
const bytes = statSync(file).size;

/** Debian's Chromium (or CHROMIUM_PATH). */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

/** Milliseconds from navigation to the load event (the page draws every section before it), best of `opens`. */
async function openMs(path: string, opens: number): Promise<number | null> {
  const executablePath = chromiumPath();
  if (!executablePath) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath });
  try {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < opens; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${path}`);
      await page.waitForLoadState('load');
      // In the page (a string: this file is compiled without the DOM's types).
      const ms = (await page.evaluate(`(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const drawn = document.querySelectorAll('section[data-rendered="true"]').length === document.querySelectorAll('section').length;
        return drawn ? nav.loadEventEnd || performance.now() : NaN;
      })()`)) as number;
      if (Number.isNaN(ms)) throw new Error(`${path}: a section of the report was not drawn`);
      best = Math.min(best, ms);
      await page.close();
    }
    return best;
  } finally {
    await browser.close();
  }
}

const opens = Number(values.opens);
const large = await openMs(file, opens);
const dryRun = join(PACKAGE_ROOT, 'runs', 'dry-run', 'report.html');
const small = existsSync(dryRun) ? await openMs(dryRun, opens) : null;

const mb = (b: number) => (b / 1e6).toFixed(2);
console.log(
  `run: ${corpus.docs.toLocaleString('en-US')} documents (${mb(corpus.textBytes)} MB of text) in ${corpus.shards} shards (${corpus.source}), curated in ${runSeconds.toFixed(1)} s; machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
);
console.log('\n| report | documents | `winnow report` wall s | peak RSS MB | report.html MB | opened in Chromium, ms (best of ' + opens + ') |\n|---|---:|---:|---:|---:|---:|');
console.log(`| bench run | ${corpus.docs.toLocaleString('en-US')} | ${report.seconds.toFixed(2)} | ${report.rssMb?.toFixed(0) ?? 'n/a'} | ${mb(bytes)} | ${large === null ? 'n/a (no Chromium)' : large.toFixed(0)} |`);
if (existsSync(dryRun)) {
  console.log(`| dry run (\`npm run dry-run\`) | ${(JSON.parse((await import('node:fs')).readFileSync(join(PACKAGE_ROOT, 'runs', 'dry-run', 'manifest.json'), 'utf8')) as { counts: { documents: { input: number } } }).counts.documents.input.toLocaleString('en-US')} | | | ${mb(statSync(dryRun).size)} | ${small === null ? 'n/a' : small.toFixed(0)} |`);
}
