import { describe, expect, it } from 'vitest';
import { sotuDocuments, spamAssassin } from '../../scripts/corpora.js';
import { phiHoldout } from '../../scripts/phi-holdout.js';
import '../../src/phi/deidentify.js';
import { leadingWords, TRIGGERS, TriggerSet, WordStarts } from '../../src/phi/triggers.js';
import { fixtureTexts } from '../helpers.js';

describe('one word scan for the PHI rules that start at a word (src/phi/triggers.ts)', () => {
  it('reads the words a match can start with through groups, options, classes and repeats', () => {
    expect(leadingWords(String.raw`\b(?:husband|fianc[eé]e?|neighbou?r|case[ \t]+manager|in-law)[ \t]*\(`, 'gi')).toMatchObject({
      words: ['case', 'fianc', 'fiance', 'fiancee', 'husband', 'in', 'neighbor', 'neighbour'],
      prefixes: [],
    });
    // spaces may be absent: "medrec" is a word of its own
    const med = leadingWords(String.raw`\b(?:med(?:ical|\.)?[ \t]*rec(?:ord|\.)?s?|s\.s\.n)[ \t]*:`, 'gi');
    expect(typeof med === 'string' ? med : med.words).toEqual(
      expect.arrayContaining(['med', 'medical', 'medicalrec', 'medicalrecords', 'medrec', 'medrecord', 'medrecs', 's']),
    );
    // case is kept without /i; an optional dot at the end leaves the word open ("Mrs" starts with "Mr")
    expect(leadingWords(String.raw`\b(?:Mr|Dr)\.?`, 'g')).toMatchObject({ words: [], prefixes: ['Dr', 'Mr'] });
    // a \b or a look ahead at a non-letter after letters ends the word
    expect(leadingWords(String.raw`\b(?:May|Jun(?:e)?)\b`, 'g')).toMatchObject({ words: ['Jun', 'June', 'May'], prefixes: [] });
    expect(leadingWords(String.raw`\b(?:son|wife)(?=[ \t]*[(,]|[ \t])`, 'gi')).toMatchObject({ words: ['son', 'wife'], prefixes: [] });
    expect(leadingWords(String.raw`\b(?:zip|post[ \t]*code)(?![a-z])[ \t]*[A-Z]\d`, 'gi')).toMatchObject({ words: ['post', 'postcode', 'zip'], prefixes: [] });
    // without the look ahead a letter may follow: "zipA1" starts with any word "zip..."
    expect(leadingWords(String.raw`\bzip[ \t]*[A-Z]{1,2}\d`, 'gi')).toMatchObject({ prefixes: ['zip'] });
    // what must follow a word, when only punctuation may: "com" only as "com/", "s" as "s." or "s/"
    const follow = leadingWords(String.raw`\b(?:com|org)\/|\b(?:s\.s\.n|s\/n|ssn)\b`, 'gi');
    expect(typeof follow === 'string' ? follow : Object.fromEntries(follow.followers)).toEqual({ com: '/', org: '/', s: './' });
    // letters repeated, or a word character, after a word: any word starting with it
    expect(leadingWords(String.raw`\bdr[a-z]+`, 'g')).toMatchObject({ prefixes: ['dr'] });
    expect(leadingWords(String.raw`\bfoo\w`, 'g')).toMatchObject({ prefixes: ['foo'] });
  });

  it('refuses a rule whose words cannot be read, rather than miss its matches', () => {
    for (const [source, flags] of [
      [String.raw`\b\d+`, 'g'],
      [String.raw`\b\w+`, 'g'],
      [String.raw`\b(?:[a-z]+)`, 'g'],
      [String.raw`\b(a)\1`, 'g'],
      [String.raw`\b(?:x|)`, 'g'],
    ] as const) {
      expect(typeof leadingWords(source, flags), source).toBe('string');
    }
    const set = new TriggerSet();
    expect(() => set.add(/(?<![\w-])mrn/g)).toThrow(/must start with \\b/);
    expect(() => set.add(/\bmrn/giu)).toThrow(/iu/);
    expect(() => set.add(/\b\d{3}-\d{4}/g)).toThrow(/cannot be read/);
  });

  it('tells whether one of a rule\'s words starts at a place, for rules asked only at a few places', () => {
    const labels = new WordStarts(/\b(?:patient(?:'s)?[ \t]+name|next[ \t]+of[ \t]+kin|dr[a-z]+|nok)[ \t]*:/i);
    const text = 'Patient name: X. NOK: Y. Next of kin: Z. Drs: W. pat: V. nokia: U. DR: T';
    const at = (word: string) => labels.at(text, text.indexOf(word));
    // its words in any case, whole ("nok", not "nokia"); an open prefix with any letters after it
    // ("dr" + letters; "DR" too: the answer may be wider than the rule, which is tried where it says yes)
    expect(['Patient', 'NOK', 'Next', 'Drs', 'DR'].map(at)).toEqual([true, true, true, true, true]);
    expect(['pat', 'nokia', 'ame:', 'T'].map(at)).toEqual([false, false, false, false]);
    const cased = new WordStarts(/\b(?:Mr|Dr)\.?[ \t]+/);
    expect([cased.at('Dr Who', 0), cased.at('dr who', 0), cased.at('Mrs X', 0)]).toEqual([true, false, false]);
    expect(() => new WordStarts(/\b\d+/)).toThrow(/cannot be read/);
  });

  it("finds, for every detector's rule, exactly what the rule's own search finds from any place, on real and synthetic text", async () => {
    const texts = [
      ...(await fixtureTexts()).map((t) => t.text).slice(0, 400),
      ...spamAssassin()
        .slice(0, 150)
        .map((e) => e.raw),
      ...sotuDocuments().slice(0, 40),
      ...phiHoldout(150, 313).map((d) => d.text),
      // letters the scan does not treat as ASCII ones, and rules' words inside longer ones
      'ſsn 123-45-6789 MRN:1234567 Mrs Smith Mr. Jones Tues, 3 May 2020 midwife Sister Ann in-law 0a MRNs 12 Born 1950',
    ];
    expect(TRIGGERS.size).toBeGreaterThan(5);
    let compared = 0;
    let random = 12345;
    const next = () => ((random = (Math.imul(random, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const text of texts) {
      const hits = TRIGGERS.scan(text);
      for (let rule = 0; rule < TRIGGERS.size; rule++) {
        const re = TRIGGERS.expression(rule);
        // the whole search, match after match
        const own: number[] = [];
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) own.push(m.index, m[0].length);
        const scanned: number[] = [];
        for (let m = hits.exec(rule, 0); m; m = hits.exec(rule, m.index + m[0].length)) scanned.push(m.index, m[0].length);
        expect(scanned, `rule ${rule} /${re.source.slice(0, 40)}/`).toEqual(own);
        // and from places out of order, as detectors that step back ask
        for (let k = 0; k < 4; k++) {
          const from = Math.floor(next() * (text.length + 1));
          re.lastIndex = from;
          const a = re.exec(text);
          const b = hits.exec(rule, from);
          expect(b && [b.index, b[0]], `rule ${rule} from ${from}`).toEqual(a && [a.index, a[0]]);
        }
        compared += own.length / 2;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
