import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Doc } from '../../src/signals/doc.js';
import { languageFamily } from '../../src/signals/language.js';
import { FIXTURE_SHARDS, parquetGlob, rows } from '../helpers.js';

/** The UDHR shard of the fixtures: 30 languages, a preamble and articles 1-6 each. */
const udhr = async () =>
  rows<{ id: string; text: string; lang: string }>(
    `SELECT id, text, split_part(source, '/', 2) AS lang FROM read_parquet(${parquetGlob(FIXTURE_SHARDS).replace('*.parquet', 'sample-04.parquet')}) ORDER BY id`,
  );

async function identifier(backend: 'fasttext' | 'franc', maxChars = 100_000) {
  const family = languageFamily({ backend, max_chars: maxChars });
  await family.prepare!();
  return (text: string) => {
    const { lang, lang_score: score } = family.measure(new Doc(text));
    return { lang, score };
  };
}

const firstSentence = (text: string) => text.split(/(?<=[.!?。।])\s|\n/)[0]!.slice(0, 120);

describe('language identification', () => {
  it('fastText lid.176 names the language of every UDHR document, with high confidence', async () => {
    const identify = await identifier('fasttext');
    const docs = await udhr();
    expect(docs).toHaveLength(60);
    let confident = 0;
    for (const doc of docs) {
      const { lang, score } = identify(doc.text);
      expect(lang, doc.id).toBe(doc.lang);
      if (score! >= 0.65) confident++;
    }
    // FineWeb's threshold keeps nearly all: the quantized model spreads some probability over close
    // relatives (Indonesian and Malay, Swahili's neighbours) on a few short documents.
    expect(confident).toBeGreaterThanOrEqual(55);
  });

  it('fastText stays accurate on single sentences, where franc falls behind', async () => {
    const fasttext = await identifier('fasttext');
    const franc = await identifier('franc');
    const docs = await udhr();
    const accuracy = (identify: (t: string) => { lang: string | null }) =>
      docs.filter((d) => identify(firstSentence(d.text)).lang === d.lang).length / docs.length;
    const ft = accuracy(fasttext);
    const fr = accuracy(franc);
    expect(ft).toBeGreaterThanOrEqual(0.9);
    expect(fr).toBeLessThan(ft);
  });

  it('gives the same answer every time, and nothing for text without letters', async () => {
    const identify = await identifier('fasttext');
    const text = 'The patient presented with fever and a persistent cough.';
    expect(identify(text)).toEqual(identify(text));
    expect(identify(text).lang).toBe('en');
    const franc = await identifier('franc');
    expect(franc('12345 67890').lang).toBeNull();
  });

  it('reads only the first max_chars characters', async () => {
    const identify = await identifier('fasttext', 40);
    const english = 'This is plainly an English sentence here. ';
    expect(identify(`${english}${'Dies ist eindeutig ein deutscher Satz. '.repeat(50)}`).lang).toBe('en');
  });
});
