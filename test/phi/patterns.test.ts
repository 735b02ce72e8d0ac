import { join } from 'node:path';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { loadPiiPatterns } from '../../src/config/load.js';
import { makeRedactor, type PiiPattern, type Redactor } from '../../src/phi/patterns.js';
import { isVetted, vettedKey, vettedKeys } from '../../src/phi/vetted-patterns.js';
import { growth } from '../growth.js';
import { fixtureTexts, ROOT } from '../helpers.js';

const patterns = loadPiiPatterns(join(ROOT, 'rules', 'pii-patterns.yaml')).patterns;
const strings = (p: PiiPattern) => (['regex', 'require', 'prefilter'] as const).filter((k) => p[k] !== undefined).map((k) => ({ key: k, source: p[k]!, flags: p.flags ?? '' }));

const expectLinear = (f: (text: string) => unknown, unit: string, what: string) => {
  const g = growth(f, unit);
  expect(g.linear, `${what}: ${g.detail}`).toBe(true);
};

/** Texts made to make each shipped pattern work hard: long runs of what it almost matches. */
const ATTACKS = [
  'a', '1', '%', 'a.', '1.', 'a@', 'a@b.', '%a', 'a-', '1-', ':', 'a:', '1:', 'f:', '::1:', '1 ', '(1', '+1', '+1 ', '1.1.1.', '123-45-', '123-',
  'patient id ', 'mrn ', 'mrn a', 'account no. a-', 'dob ', 'dob 1/', 'born on mar 1, ', 'ssn ', 'ssn 123 ', 'tel ', 'fax 555-',
  'https://a/', 'http://http://', 'https://a/users', '~', 'x\u00a0',
];

describe.each([
  ['vetted patterns on V8', makeRedactor(patterns)],
  ['the same patterns forced through re2js', makeRedactor(patterns, { engine: 're2' })],
] as [string, Redactor][])('PII redaction (rules/pii-patterns.yaml), %s', (_, redactor) => {
  const redact = (text: string) => redactor.redact(text).text;
  const count = (text: string, type: string) => redactor.redact(text).counts[redactor.types.indexOf(type)];

  it('redacts e-mail addresses, not things that only look close', () => {
    expect(redact('Write to jane.doe+rx@clinic.example.org today.')).toBe('Write to <EMAIL> today.');
    expect(redact('Meet @ noon; price is 5@3 each; user@localhost')).toBe('Meet @ noon; price is 5@3 each; user@localhost');
    expect(redact('a@b.org,c@d.org;e@f.org-x@y.org')).toBe('<EMAIL>,<EMAIL>;e@<EMAIL>');
  });

  it('redacts phone and fax numbers, North American and international', () => {
    expect(redact('Call (301) 555-0142 or 1-800-422-6237.')).toBe('Call <PHONE> or <PHONE>.');
    expect(redact('Fax: 555-0199. Intl +44 20 7946 0958.')).toBe('Fax: <PHONE>. Intl <PHONE>.');
    expect(count('Phone 301.555.0142', 'PHONE')).toBe(1);
    expect(redact('The trial enrolled 1200 patients in 2019-2020.')).toBe('The trial enrolled 1200 patients in 2019-2020.');
  });

  it('redacts IP addresses, v4 and v6, but not versions or times', () => {
    expect(redact('from 192.168.10.254 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and fe80::1ff:fe23:4567:890a')).toBe('from <IP> and <IP> and <IP>');
    expect(redact('version 1.2.3.4.5, at 12:30:45, 999.1.1.1')).toBe('version 1.2.3.4.5, at 12:30:45, 999.1.1.1');
    expect(redact('ends 10.0.0.1. Next 10.0.0.2.x')).toBe('ends <IP>. Next <IP>.x');
  });

  it('redacts US social security numbers, dashed or labelled', () => {
    expect(redact('SSN: 123-45-6789; social security number 123 45 6789')).toBe('SSN: <SSN>; social security number <SSN>');
    expect(redact('000-12-3456 and 666-12-3456 are never issued')).toBe('000-12-3456 and 666-12-3456 are never issued');
    expect(redact('nor 900-12-3456, 123-00-4567, 123-45-0000; but 665-01-0001 and 667-99-9999')).toBe('nor 900-12-3456, 123-00-4567, 123-45-0000; but <SSN> and <SSN>');
    expect(redact('SSN:\u00a0123 45 6789 and ssn\u2009123456789')).toBe('SSN:\u00a0<SSN> and ssn\u2009<SSN>'); // JavaScript's \s, spelt out
  });

  it('redacts labelled record numbers and dates of birth, keeping the label', () => {
    expect(redact('MRN: 00123456, Patient ID A-99812. DOB: 04/07/1961')).toBe('MRN: <MRN>, Patient ID <MRN>. DOB: <DOB>');
    expect(redact('Date of birth March 3, 1950; born on 1950-03-03')).toBe('Date of birth <DOB>; born on <DOB>');
    expect(redact('The patient id card policy applies.')).toBe('The patient id card policy applies.'); // no digits: not an identifier
    // An identifier without a digit is no match there, so a label inside it is still found.
    expect(redact('patient id account no. 12345')).toBe('patient id account no. <MRN>');
  });

  it('redacts URLs that name a person, not other URLs', () => {
    expect(redact('see https://example.edu/~jsmith/cv.html and http://social.example/users/alice')).toBe('see <URL_PERSONAL> and <URL_PERSONAL>');
    expect(redact('see https://www.nih.gov/health-information')).toBe('see https://www.nih.gov/health-information');
    expect(redact('https://a.example/x\u3000https://b.example/~me')).toBe('https://a.example/x\u3000<URL_PERSONAL>');
  });

  it('counts each type', () => {
    const r = redactor.redact('a@b.org c@d.org 10.0.0.1');
    expect(r.counts[redactor.types.indexOf('EMAIL')]).toBe(2);
    expect(r.counts[redactor.types.indexOf('IP')]).toBe(1);
  });
});

describe('the shipped patterns (rules/pii-patterns.yaml)', () => {
  it('are exactly the vetted ones: src/phi/vetted-patterns.ts lists every string of the file and nothing else', () => {
    const lines = patterns.flatMap((p, i) => strings(p).map((s) => `  '${vettedKey(s.source, s.flags)}', // ${i + 1} ${p.type} ${s.key}`));
    const keys = lines.map((l) => l.slice(3, 67));
    // On a mismatch, the expected list is the lines to paste into VETTED.
    expect([...vettedKeys()].sort(), `VETTED should be:\n${lines.join('\n')}`).toEqual([...new Set(keys)].sort());
    for (const p of patterns) for (const s of strings(p)) expect(isVetted(s.source, s.flags)).toBe(true);
    expect(isVetted(patterns[0]!.regex, 'm')).toBe(false); // the flags are part of what was vetted
  });

  it('are in the part of RE2 syntax that JavaScript reads the same way', () => {
    for (const p of patterns) {
      for (const s of strings(p)) {
        // RE2-only spellings that JavaScript reads otherwise (\pL, \x{..}, \z, \Q, [[:alpha:]], (?i), (?P<..>)).
        expect(s.source, `${p.type} ${s.key}`).not.toMatch(/\\[pPzAQEC]|\\x\{|\[\[:|\(\?[imsU-]+[):]|\(\?P</);
        expect(s.source, `${p.type} ${s.key}: \\s is ASCII in RE2`).not.toMatch(/(?<!\\)(?:\\\\)*\\[sS]/);
        expect(() => new RegExp(s.source, s.flags)).not.toThrow();
      }
    }
    expect(makeRedactor(patterns, { engine: 're2' }).types).toEqual(makeRedactor(patterns).types); // re2js compiles them all
  });

  it('have prefilters that hold for every match, on hand-made PII and on real text', async () => {
    const samples = [
      '1:2:3:4:5:6:7:8 ::1 fe80::1 2001:db8:: 2001:0db8:85a3:0000:0000:8a2e:0370:7334 a::b:c',
      'DOB: 01/02/1980, d.o.b. 1980-01-02, born on March 3, 1950, birth date 3 Mar 1950',
      'SSN 123-45-6789, social security number: 123 45 6789',
      'MRN: A12345, patient id 998877, account no. 55-1234, member id X1234, policy # 12345, health plan id H12345, insurance number 77777',
      'tel. 555-1234, Phone no. 555 1234, fax: 555.1234, mobile 555-1234, cell # 555-1234',
      'mail jane@example.org',
      ...(await fixtureTexts()).map((t) => t.text),
    ];
    for (const p of patterns.filter((q) => q.prefilter)) {
      const prefilter = new RegExp(p.prefilter!, p.flags ?? '');
      const regex = new RegExp(p.regex, `${p.flags ?? ''}g`);
      for (const text of samples) for (const m of text.matchAll(regex)) expect(prefilter.test(m[0]), `${p.type} ${m[0]}`).toBe(true);
    }
    const redactor = makeRedactor(patterns);
    expect(redactor.redact('1:2:3:4:5:6:7:8 and fe80::1').counts[redactor.types.indexOf('IP')]).toBe(2);
  });

  it('are each safe for the recheck ReDoS checker', () => {
    for (const p of patterns) {
      for (const s of strings(p)) {
        // The automaton checker: its fuzzer calls bounded repetition such as {1,64} polynomial.
        const result = checkSync(s.source, s.flags, { checker: 'automaton', timeout: 60_000 });
        expect(result.status, `${p.type} ${s.key}`).toBe('safe');
      }
    }
  });

  it('each run in time linear in the length of adversarial texts, on V8 (a measure that tells quadratic from linear)', () => {
    const quadratic = /[a-z]+:/g; // on V8, each start reads to the end of a run of letters
    expect(growth((t) => t.replace(quadratic, ''), 'a', 1).linear).toBe(false);
    expect(growth((t) => t.replace(/[a-z]:/g, ''), 'a').linear).toBe(true);
    for (const p of patterns) {
      const redactor = makeRedactor([p]);
      const prefilter = p.prefilter === undefined ? undefined : new RegExp(p.prefilter, p.flags ?? '');
      // Texts its prefilter turns away never reach the pattern (the prefilter itself is a plain search).
      for (const unit of ATTACKS.filter((u) => !prefilter || prefilter.test(u.repeat(4)))) expectLinear((t) => redactor.redact(t), unit, `${p.type} ${p.regex.slice(0, 30)} on ${JSON.stringify(unit)}`);
    }
  });
});

describe('patterns of your own (re2js)', () => {
  const user = (p: Omit<PiiPattern, 'type'>) => makeRedactor([{ type: 'X', ...p }]);
  const redact = (p: Omit<PiiPattern, 'type'>, text: string) => user(p).redact(text).text;

  it('run on re2js, not on V8', () => {
    expect(isVetted('\\bbadge (?<pii>[A-Z]{2}\\d{4})')).toBe(false);
  });

  it('replace the pii group only, keep what follows it for the next match, and test require on the replaced part', () => {
    const badge = { regex: '\\bbadge:? ?(?<pii>[A-Z]{2}\\d{3,6})(?:$|[^\\w-])', require: '[1-9]', flags: 'i' };
    expect(redact(badge, 'Badge: AB1234, badge cd0000 and badge EF0012-x, badge GH77')).toBe('Badge: <X>, badge cd0000 and badge EF0012-x, badge GH77');
    expect(user(badge).redact('badge AB123 badge CD456').counts).toEqual([2]);
    // The context after the group ("[a-z]") is the next match's start: it is not consumed.
    expect(redact({ regex: '(?<pii>[a-z]\\d)(?:[a-z]|$)' }, 'a1b2c3')).toBe('<X><X><X>');
    // Without a pii group the whole match is replaced.
    expect(redact({ regex: 'secret-\\d+' }, 'x secret-42 y')).toBe('x <X> y');
  });

  it('take RE2 syntax, \\uXXXX and flags i, m, s', () => {
    expect(redact({ regex: '(?P<pii>\\pL+)@\\x{e9}' }, 'né@é')).toBe('<X>@é');
    expect(redact({ regex: 'caf\\u00e9' }, 'un café')).toBe('un <X>');
    expect(redact({ regex: '^id \\d+$', flags: 'm' }, 'a\nid 7\nb')).toBe('a\n<X>\nb');
    expect(redact({ regex: 'a.b', flags: 's' }, 'a\nb')).toBe('<X>');
    expect(redact({ regex: '(?<![\\w-])tok\\d', flags: 'i' }, 'TOK1 x-tok2')).toBe('<X> x-tok2');
  });

  it('are refused when re2js cannot compile them: lookahead, backreferences', () => {
    expect(() => user({ regex: 'a(?=b)' })).toThrow(/PII pattern 1 \(X\): lookahead/);
    expect(() => user({ regex: '(a)\\1' })).toThrow(/backreferences/);
    expect(() => user({ regex: 'x', require: '(?!y)' })).toThrow(/lookahead/);
  });

  it('run in linear time where a backtracking engine takes exponential or high polynomial time', () => {
    // Each of these hangs V8 for minutes on a few dozen characters (not run here).
    const hostile: [string, string][] = [
      ['(?:\\w+\\s?){1,20}:', 'a'],
      ['(?:\\w+\\s?){1,20}:', 'a '],
      ['(?:\\w+\\s?){1,20}:', 'a a:'], // a match every four characters
      ['(a|a)*b', 'a'],
      ['(?:a|a){1,60}b', 'a'],
      ['(?:.*a){25}', 'a'],
      ['(?:.*a){25}', 'ab\n'],
      ['(a+)+$', 'a'],
      ['(a+)+$', 'ab'],
      ['(\\w+\\s?)*$', 'a!'],
    ];
    for (const [regex, unit] of hostile) {
      const redactor = user({ regex });
      expectLinear((t) => redactor.redact(t), unit, `${regex} on ${JSON.stringify(unit)}`);
    }
  });

  it('stop with a message when a pattern whose matches could run on far past their end reads the text again for each match', () => {
    const slow = makeRedactor([{ type: 'X', regex: 'a(?:.*z)?' }], { timeLimit: { graceMs: 50, charsPerMs: 1e6 } });
    expect(() => slow.redact('a'.repeat(200_000))).toThrow(/PII pattern 1 \(X\): more than .* Bound the repetition/);
  });
});
