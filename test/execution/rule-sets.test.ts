import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { db, parquetGlob, readManifest, rows, tempDir, winnow, writePipeline } from '../helpers.js';
import { sqlString } from '../../src/io/duckdb.js';

/** Documents that sit on either side of one rule's threshold each. */
// Two distinct stop words ("the", "and"): Gopher's rule asks for two.
const words = (n: number, word = 'the patient and doctor were well') =>
  Array.from({ length: n }, (_, i) => word.split(' ')[i % word.split(' ').length]).join(' ');
const prose = (sentences: number) =>
  Array.from({ length: sentences }, (_, i) => `The patient number ${i} was treated with the new drug and recovered well.`).join(' ');

const DOCS: { id: string; text: string; url?: string }[] = [
  { id: 'words-49', text: `${words(49)}.` },
  { id: 'words-50', text: `${words(50)}.` },
  { id: 'short-words', text: `${words(60, 'is it ok to go up so as to be in on')}.` },
  { id: 'hashes', text: `${words(60)} ${'#tag '.repeat(10)}` },
  { id: 'bullets-all', text: Array.from({ length: 10 }, () => `• ${words(8)}.`).join('\n') },
  { id: 'bullets-90', text: [...Array.from({ length: 9 }, () => `• ${words(8)}.`), `${words(8)}.`].join('\n') },
  { id: 'no-stop-words', text: `${words(60, 'patients recovered quickly after treatment')}.` },
  { id: 'repeated-lines', text: Array.from({ length: 6 }, () => 'This same line repeats again and again in the page.').join('\n') },
  { id: 'repeated-paragraphs', text: Array.from({ length: 4 }, () => 'This same paragraph repeats.\nIt has two lines of text.').join('\n\n') },
  { id: 'lorem', text: `${prose(6)}\nLorem ipsum dolor sit amet, consectetur adipiscing elit.` },
  { id: 'curly', text: `${prose(6)}\nfunction run() { return the patient well; }.` },
  { id: 'four-sentences', text: prose(4) },
  { id: 'five-sentences', text: prose(5) },
  { id: 'no-punctuation', text: Array.from({ length: 8 }, (_, i) => `a menu item number ${i} with no stop at all`).join('\n') },
  // FineWeb's two definitions (signals.fineweb.definition): lines ending in a closing quote, and blank lines.
  { id: 'quoted-ends', text: Array.from({ length: 8 }, (_, i) => `The doctor said number ${i} is "fine and well."`).join('\n') },
  // Lines L, -, S, -, S, -, L (one blank line between, as normalization leaves them): five of seven lines short, two of four non-blank ones.
  { id: 'blank-padded', text: `${prose(3)} The letter starts here.\n\nYes, it was.\n\nNo, it was not.\n\n${prose(3)} The letter ends here.` },
  { id: 'blocked-domain', text: prose(6), url: 'https://shop.blocked.example/page' },
  { id: 'fine-domain', text: prose(7), url: 'https://notblocked.example/page' },
];

describe('the shipped rule sets, on documents at their thresholds', () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  let reasons = new Map<string, string[]>();

  beforeAll(async () => {
    const input = join(dir, 'in');
    mkdirSync(input);
    const con = await db();
    await con.run('CREATE OR REPLACE TEMP TABLE boundary (id VARCHAR, text VARCHAR, url VARCHAR)');
    const appender = await con.createAppender('boundary');
    for (const d of DOCS) {
      appender.appendVarchar(d.id);
      appender.appendVarchar(d.text);
      if (d.url) appender.appendVarchar(d.url);
      else appender.appendNull();
      appender.endRow();
    }
    appender.closeSync();
    await con.run(`COPY boundary TO ${sqlString(join(input, 'boundary.parquet'))} (FORMAT parquet)`);
    writeFileSync(join(dir, 'blocked.txt'), '# domains to drop\nblocked.example\n');
    writeFileSync(
      join(dir, 'domains.yaml'),
      'name: domains\nrules:\n  - { name: blocked_domain, signal: url_domain, op: not_in_list, list: blocked.txt, match: domain }\n',
    );
    const pipeline = writePipeline(
      dir,
      `name: boundaries
input: { path: in, columns: { text: text, id: id, url: url } }
signals: { families: [gopher_quality, gopher_repetition, c4, fineweb, url] }
c4: { terminal_punctuation: false }
rules: [gopher-quality, gopher-repetition, c4, fineweb, ./domains.yaml]
output: { path: run, rejected_text: true }
`,
    );
    const r = winnow(['run', pipeline, '--quiet']);
    expect(r.stderr).toBe('');
    reasons = new Map(
      (
        await rows<{ id: string; rules: string[] }>(
          `SELECT id, list_transform(reasons, r -> r.rule) AS rules FROM read_parquet(${parquetGlob(join(out, 'rejected'))})`,
        )
      ).map((r) => [r.id, r.rules]),
    );
  });

  const firedOn = (id: string) => reasons.get(id) ?? [];

  it('gopher quality: 49 words is too short, 50 is not', () => {
    expect(firedOn('words-49')).toContain('gopher_short_doc');
    expect(firedOn('words-50')).not.toContain('gopher_short_doc');
  });

  it('gopher quality: short words, hashes, stop words', () => {
    expect(firedOn('short-words')).toContain('gopher_below_avg_word_length');
    expect(firedOn('hashes')).toContain('gopher_too_many_hashes');
    expect(firedOn('no-stop-words')).toContain('gopher_enough_stop_words');
    expect(firedOn('words-50')).not.toContain('gopher_enough_stop_words');
  });

  it('gopher quality: all lines bulleted is too many, 90% is the limit', () => {
    expect(firedOn('bullets-all')).toContain('gopher_too_many_bullets');
    expect(firedOn('bullets-90')).not.toContain('gopher_too_many_bullets');
  });

  it('gopher repetition: repeated lines and paragraphs', () => {
    expect(firedOn('repeated-lines')).toEqual(expect.arrayContaining(['dup_line_frac', 'dup_line_char_frac', 'top_3_gram', 'duplicated_5_n_grams']));
    expect(firedOn('repeated-lines')).not.toContain('dup_para_frac'); // one paragraph
    expect(firedOn('repeated-paragraphs')).toEqual(expect.arrayContaining(['dup_para_frac', 'dup_para_char_frac']));
  });

  it('c4: lorem ipsum, curly brackets, and five sentences at least', () => {
    expect(firedOn('lorem')).toContain('lorem_ipsum');
    expect(firedOn('curly')).toContain('curly_bracket');
    expect(firedOn('four-sentences')).toContain('too_few_sentences');
    expect(firedOn('five-sentences')).not.toContain('too_few_sentences');
  });

  it('fineweb: lines without punctuation, and newlines per word', () => {
    expect(firedOn('no-punctuation')).toContain('line_punct_ratio');
    expect(firedOn('five-sentences')).not.toContain('line_punct_ratio');
  });

  it("fineweb-2's definition: a closing quote ends no sentence, blank lines are no lines (and strict inequalities)", async () => {
    // The published FineWeb's definition (this run's): quotes count, and the 9 blank lines are short lines.
    expect(firedOn('quoted-ends')).not.toContain('line_punct_ratio');
    expect(firedOn('blank-padded')).toContain('short_line_ratio');
    mkdirSync(join(dir, 'v2'));
    const pipeline = writePipeline(
      join(dir, 'v2'),
      `name: fineweb-2
input: { path: ../in, columns: { text: text, id: id } }
signals: { families: [fineweb], fineweb: { definition: fineweb-2 } }
rules: [fineweb-2]
output: { path: run }
`,
    );
    const r = winnow(['run', pipeline, '--quiet']);
    expect(r.stderr).toBe('');
    const v2 = new Map(
      (await rows<{ id: string; rules: string[] }>(`SELECT id, list_transform(reasons, r -> r.rule) AS rules FROM read_parquet(${parquetGlob(join(dir, 'v2', 'run', 'rejected'))})`)).map((x) => [x.id, x.rules]),
    );
    expect(v2.get('quoted-ends')).toContain('line_punct_ratio');
    expect(v2.get('blank-padded') ?? []).not.toContain('short_line_ratio');
    expect(readManifest(join(dir, 'v2', 'run')).config.resolved.signals.fineweb).toEqual({ definition: 'fineweb-2' });
  });

  it('a domain list drops the listed domain and its subdomains only', () => {
    expect(firedOn('blocked-domain')).toContain('blocked_domain');
    expect(firedOn('fine-domain')).not.toContain('blocked_domain');
  });

  it('why shows the measured value and the threshold', () => {
    const why = winnow(['why', 'four-sentences', '--run', out]);
    expect(why.stdout).toMatch(/too_few_sentences: c4_sentences = 4, must be >= 5/);
    const domain = winnow(['why', 'blocked-domain', '--run', out]);
    expect(domain.stdout).toMatch(/blocked_domain: url_domain = shop\.blocked\.example, must not be in list blocked\.txt \(domains\)/);
  });

  it('re-decides when only a list file changes, reusing every signal', () => {
    writeFileSync(join(dir, 'blocked.txt'), 'notblocked.example\n');
    const r = winnow(['run', join(dir, 'pipeline.yaml'), '--quiet']);
    expect(r.code).toBe(0);
    const manifest = readManifest(out);
    expect(manifest.timings.annotate.tasks_run).toBe(0);
    expect(manifest.timings.decide.tasks_run).toBe(1);
    expect(manifest.counts.rules.blocked_domain.any).toBe(1);
  });
});
