import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, ROOT, sharedDryRun } from '../helpers.js';

/** Debian's Chromium (or CHROMIUM_PATH): playwright-core drives it; no browser is downloaded. */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Where the screenshots go: test artifacts, not committed (docs/images holds the chosen ones). */
const ARTIFACTS = join(ROOT, 'test-artifacts', 'report');

describe("the dry run's report.html in a real browser", () => {
  const chromium = chromiumPath();
  it.skipIf(!chromium)('opens from the file with no network and no console errors, each section drawn with the run\'s numbers (skipped without Chromium)', async () => {
    const { dir } = await sharedDryRun();
    const file = join(dir, 'report.html');
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, 'utf8');
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    const manifest = readManifest(dir);

    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      await page.goto(`file://${file}`);
      await page.waitForLoadState('load');
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);

      const sections = await page.$$eval('section', (ss) => ss.map((s) => ({ id: s.id, rendered: s.getAttribute('data-rendered'), charts: s.querySelectorAll('svg').length })));
      expect(sections.map((s) => s.id)).toEqual(['funnel', 'rules', 'sources', 'signals', 'scores', 'near', 'boilerplate', 'languages', 'met', 'timings', 'samples']);
      for (const s of sections) expect(s.rendered, s.id).toBe('true');
      for (const id of ['funnel', 'rules', 'sources', 'signals', 'scores', 'near', 'languages', 'met', 'timings']) expect(sections.find((s) => s.id === id)!.charts, id).toBeGreaterThan(0);

      const n = (x: number) => x.toLocaleString('en-US');
      const { input, curated } = manifest.counts.documents;
      expect(await page.textContent('#summary')).toContain(`${n(input)} documents in, ${n(curated)} kept`);
      const funnel = await page.textContent('#funnel svg');
      expect(funnel).toContain(n(input));
      expect(funnel).toContain(n(curated));
      // One histogram per thresholded signal, titled with its rules; a table row per rule.
      const rules = Object.keys(manifest.counts.rules);
      expect(await page.$$eval('#rules table tr', (rows) => rows.length)).toBe(rules.length + 1);
      expect(await page.textContent('[data-signal="gopher_words"] h3')).toContain('gopher_short_doc >= 50');
      const reasons = await page.$$eval('#samples details', (ds) => ds.map((d) => d.getAttribute('data-reason')));
      expect(reasons).toEqual(rules.filter((r) => manifest.counts.rules[r].primary > 0));
      expect(await page.$$eval('#samples mark.redacted', (m) => m.length)).toBeGreaterThan(0);
      // The entity tree's tree map: a rectangle per branch, each titled with its documents.
      const titles = () => page.$$eval('#met .treemap svg title', (t) => t.map((x) => x.textContent ?? ''));
      expect((await titles()).filter((x) => / documents before, [\d,]+ kept, [\d,]+ weighted$/.test(x)).length).toBeGreaterThan(20);
      // Its area in three measures: before filtering, kept, kept and weighted (the balancing weights).
      const areas = async () => page.$$eval('#met .treemap svg rect', (r) => r.map((x) => Number(x.getAttribute('width')) * Number(x.getAttribute('height'))));
      const before = await areas();
      for (const mode of ['after', 'weighted']) {
        await page.check(`#met-area-${mode}`);
        expect(await page.getAttribute('#met .treemap', 'data-mode')).toBe(mode);
        expect(await areas()).not.toEqual(before);
      }
      expect(await page.textContent('#met')).toMatch(/the rare-disease share of node mass goes from [\d.]+% to [\d.]+%/);
      // A duplicate beside its kept copy, the text they share underlined in both.
      expect(await page.$$eval('details[data-reason="near_duplicate"] .note', (n) => n.map((x) => x.textContent))).toContainEqual(expect.stringMatching(/^its kept copy, sample-\d+\.parquet#\d+/));
      expect(await page.$$eval('details[data-reason="near_duplicate"] u.shared', (u) => u.length)).toBeGreaterThan(0);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'top.png') });
      for (const id of ['signals', 'samples']) {
        await page.evaluate((id) => {
          document.getElementById(id)!.scrollIntoView();
          for (const d of document.querySelectorAll(`#${id} details`)) (d as HTMLDetailsElement).open = true;
        }, id);
        await page.screenshot({ path: join(ARTIFACTS, `${id}.png`) });
      }
    } finally {
      await browser.close();
    }
  });

  if (!chromium) console.warn('skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH); .ci/run installs it');
});
