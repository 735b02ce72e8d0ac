import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPiiPatterns } from '../../src/config/load.js';
import { makeRedactor } from '../../src/text/pii.js';
import { unsafeRegexReason } from '../../src/text/safe-regex.js';
import { fixtureTexts, ROOT } from '../helpers.js';

const patterns = loadPiiPatterns(join(ROOT, 'rules', 'pii.yaml')).patterns;
const redactor = makeRedactor(patterns);
const redact = (text: string) => redactor.redact(text).text;
const count = (text: string, type: string) => redactor.redact(text).counts[redactor.types.indexOf(type)];

describe('PII redaction (rules/pii.yaml)', () => {
  it('redacts e-mail addresses, not things that only look close', () => {
    expect(redact('Write to jane.doe+rx@clinic.example.org today.')).toBe('Write to <EMAIL> today.');
    expect(redact('Meet @ noon; price is 5@3 each; user@localhost')).toBe('Meet @ noon; price is 5@3 each; user@localhost');
  });

  it('redacts phone and fax numbers, North American and international', () => {
    expect(redact('Call (301) 555-0142 or 1-800-422-6237.')).toBe('Call <PHONE> or <PHONE>.');
    expect(redact('Fax: 555-0199. Intl +44 20 7946 0958.')).toBe('Fax: <PHONE>. Intl <PHONE>.');
    expect(count('Phone 301.555.0142', 'PHONE')).toBe(1);
    expect(redact('The trial enrolled 1200 patients in 2019-2020.')).toBe('The trial enrolled 1200 patients in 2019-2020.');
  });

  it('has prefilters that hold for every match, on hand-made PII and on real text', async () => {
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
    expect(count('1:2:3:4:5:6:7:8 and fe80::1', 'IP')).toBe(2);
  });

  it('redacts IP addresses, v4 and v6, but not versions or times', () => {
    expect(redact('from 192.168.10.254 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and fe80::1ff:fe23:4567:890a')).toBe('from <IP> and <IP> and <IP>');
    expect(redact('version 1.2.3.4.5, at 12:30:45, 999.1.1.1')).toBe('version 1.2.3.4.5, at 12:30:45, 999.1.1.1');
  });

  it('redacts US social security numbers, dashed or labelled', () => {
    expect(redact('SSN: 123-45-6789; social security number 123 45 6789')).toBe('SSN: <SSN>; social security number <SSN>');
    expect(redact('000-12-3456 and 666-12-3456 are never issued')).toBe('000-12-3456 and 666-12-3456 are never issued');
  });

  it('redacts labelled record numbers and dates of birth, keeping the label', () => {
    expect(redact('MRN: 00123456, Patient ID A-99812. DOB: 04/07/1961')).toBe('MRN: <MRN>, Patient ID <MRN>. DOB: <DOB>');
    expect(redact('Date of birth March 3, 1950; born on 1950-03-03')).toBe('Date of birth <DOB>; born on <DOB>');
    expect(redact('The patient id card policy applies.')).toBe('The patient id card policy applies.'); // no digits: not an identifier
  });

  it('redacts URLs that name a person, not other URLs', () => {
    expect(redact('see https://example.edu/~jsmith/cv.html and http://social.example/users/alice')).toBe('see <URL_PERSONAL> and <URL_PERSONAL>');
    expect(redact('see https://www.nih.gov/health-information')).toBe('see https://www.nih.gov/health-information');
  });

  it('counts each type', () => {
    const r = redactor.redact('a@b.org c@d.org 10.0.0.1');
    expect(r.counts[redactor.types.indexOf('EMAIL')]).toBe(2);
    expect(r.counts[redactor.types.indexOf('IP')]).toBe(1);
  });

  it('stays linear on adversarial input for every pattern', () => {
    const attacks = ['a', '1', 'a.', '1.', 'a@', 'a-', '1-', ':', 'a:', '1 ', '(1', '+1', 'patient id ', 'dob ', 'https://a/', '~'].map((unit) => unit.repeat(20_000));
    for (const attack of attacks) {
      const start = performance.now();
      redact(attack);
      expect(performance.now() - start, JSON.stringify(attack.slice(0, 12))).toBeLessThan(1500);
    }
  });
});

describe('unsafeRegexReason', () => {
  it('refuses nested unbounded quantifiers and backreferences', () => {
    expect(unsafeRegexReason('(a+)+')).toMatch(/nested unbounded/);
    expect(unsafeRegexReason('(\\w+\\s?)*$')).toMatch(/nested unbounded/);
    expect(unsafeRegexReason('((ab)*c)+')).toMatch(/nested unbounded/);
    expect(unsafeRegexReason('(a)\\1')).toMatch(/backreference/);
    expect(unsafeRegexReason('(?<x>a)\\k<x>')).toMatch(/backreference/);
  });

  it('accepts bounded repetition at any depth, and quantifiers inside classes', () => {
    expect(unsafeRegexReason('(?:[a-z]{1,63}\\.){1,8}[a-z]{2,24}')).toBeUndefined();
    expect(unsafeRegexReason('[+*]+(?:ab)+x*')).toBeUndefined();
    expect(unsafeRegexReason('(a+){1,3}')).toBeUndefined();
    for (const p of patterns) expect(unsafeRegexReason(p.regex), p.type).toBeUndefined();
  });

  it('makes makeRedactor refuse an unsafe pattern with a clear message', () => {
    expect(() => makeRedactor([{ type: 'BAD', regex: '(x+)+y' }])).toThrow(/PII pattern BAD: nested unbounded quantifier/);
  });
});
