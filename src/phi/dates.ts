import { before, DATE_CUES } from './context.js';
import type { Detector } from './span.js';
import { TRIGGERS, wordHits } from './triggers.js';

/**
 * DATE: every element of a date finer than the year (Safe Harbor keeps the year alone): numeric
 * dates (03/14/1952, 14.03.1952, 14-03-52, 1952-03-14) and written ones with a day (March 14, 1952;
 * 14th of March 1952; 14-Mar-1952; Mar. 14). Years alone and month with year ("in May 2020") stay.
 *
 * A date is redacted when a label or cue before it ties it to a person (DOB, admitted, seen, died
 * ...), or when the document is personal (some other sure finding: a name, a record number, a
 * personal contact). Dates in public writing (a drug approved on June 5, 2015) stay.
 */
const MONTHS: [string, string][] = [['Jan', 'uary'], ['Feb', 'ruary'], ['Mar', 'ch'], ['Apr', 'il'], ['May', ''], ['Jun', 'e'], ['Jul', 'y'], ['Aug', 'ust'], ['Sep', 't|tember'], ['Oct', 'ober'], ['Nov', 'ember'], ['Dec', 'ember']];
/**
 * A month's name or abbreviation, capitalised or in capitals: a month in lower case is a word
 * ("IL-2 may cause"), and a case-true expression scans several times faster than a case-blind one.
 */
const MONTH = `(?:${MONTHS.map(([head, tail]) => {
  const tails = tail.split('|').filter(Boolean);
  const rest = (t: string[]) => (t.length > 0 ? `(?:${t.join('|')})?` : '');
  return `${head}${rest(tails)}|${head.toUpperCase()}${rest(tails.map((t) => t.toUpperCase()))}`;
}).join('|')})`;
const WEEKDAY = '(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\\.?';
/** What comes before a day and month with no year: "on", "since" ..., or a line's start. */
const DAY_MONTH_CUE = /(?:\b(?:on|since|from|until|till|by|dated|admitted|discharged|seen|visited)[ \t]+|^|\n[ \t]*)$/i;
const ORDINAL = '(?:st|nd|rd|th)?';
const NUMERIC = [
  // numeric, one separator used twice; checked below for a valid day and month
  String.raw`\b(?<a>\d{1,2})(?<sep>[/.-])(?<b>\d{1,2})\k<sep>(?<y>\d{4}|\d{2})(?![\w/-]|[.,]\d)`,
  // day and month alone, after "on", "since" ... or before a time: "on 21/3", "8/5 09:37"
  String.raw`\b(?<da>\d{1,2})\/(?<db>\d{1,2})(?![\w/]|[.,]\d)(?=[ \t]+\d{1,2}:\d\d|[ \t]*[.,;)]|[ \t]+(?:at|with|and|to)\b)`,
  // ISO and year first
  String.raw`\b(?<iy>1[89]\d\d|20\d\d)(?<isep>[-/.])(?<im>\d{1,2})\k<isep>(?<id>\d{1,2})(?![\w/-]|[.,]\d)`,
];
const DAY_MONTH = String.raw`(?<dd>\d{1,2})${ORDINAL}(?:[ \t]+of)?(?:[ \t]+|-)${MONTH}\b\.?(?:,?(?:[ \t]+|-)(?:\d{4}|'\d{2}|\d{2}(?!\d)))?`;
const DATE = new RegExp(
  [
    ...NUMERIC,
    // [weekday] day month [year]
    String.raw`\b(?:${WEEKDAY},?[ \t]+(?:the[ \t]+)?)?${DAY_MONTH}`,
    // [weekday] month day [year]
    String.raw`\b(?:${WEEKDAY},?[ \t]+)?${MONTH}\b\.?[ \t]+(?<md>\d{1,2})${ORDINAL}(?![\w:]|\.\d)(?:,?[ \t]+(?:\d{4}(?!\d)))?`,
  ].join('|'),
  'y',
);
/** Where the written alternatives start, and where the numeric ones do. */
const NAMED_START = TRIGGERS.add(new RegExp(String.raw`\b(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?|${MONTH})\b`, 'g'));
/** The alternatives that start with a number, searched alone: where one matches, DATE is tried (every number would be a try per digit run). */
const NUMBER_START = new RegExp([...NUMERIC, String.raw`\b${DAY_MONTH}`].join('|'), 'g');
const RANGE_BEFORE = /\b(?:from|between|since|until|till|through|to|and)[ \t]*$|[-–][ \t]*$/i;
const RANGE_AFTER = /^,?[ \t]*(?:to|and|through|until|till|-|–)[ \t]/i;
const VERSION = /(?:version|ver\.?|v|build|release|firmware|rev\.?|revision|update|patch|software|kernel|no\.?|#)\s*$/i;

function validDayMonth(day: number, month: number): boolean {
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

export const dateDetector: Detector = {
  name: 'dates',
  types: ['DATE'],
  find(text, out, doc) {
    const hits = wordHits(text, doc);
    let word = hits.exec(NAMED_START, 0);
    NUMBER_START.lastIndex = 0;
    let number = NUMBER_START.exec(text);
    /** DATE's search from `from`, tried only where a match can start: a weekday's or month's name (from the shared word scan), or a numeric date. */
    const next = (from: number): RegExpExecArray | null => {
      for (;;) {
        if (word && word.index < from) word = hits.exec(NAMED_START, from);
        if (number && number.index < from) {
          NUMBER_START.lastIndex = from;
          number = NUMBER_START.exec(text);
        }
        const at = Math.min(word?.index ?? Infinity, number?.index ?? Infinity);
        if (at === Infinity) return null;
        // at a number DATE reads what NUMBER_START read: the same alternatives, in the same order
        if (number && number.index === at && word?.index !== at) return number;
        DATE.lastIndex = at;
        const m = DATE.exec(text);
        if (m) return m;
        from = at + 1;
      }
    };
    let from = 0;
    for (let m = next(0); m; m = next(from)) {
      const g = m.groups!;
      const start = m.index;
      const end = start + m[0].length;
      from = end;
      // not inside a longer number or code: "1.2.3.4", "v10/12/2020", "x-12/05/20"
      const prev = text.charCodeAt(start - 1);
      if (prev === 46 || prev === 47 || prev === 45 || (g.a !== undefined || g.da !== undefined || g.iy !== undefined ? false : prev === 46)) {
        from = start + 1;
        continue;
      }
      if (g.a !== undefined) {
        const a = Number(g.a);
        const b = Number(g.b);
        if (!validDayMonth(a, b) && !validDayMonth(b, a)) continue;
        if (g.sep === '.' && g.y!.length === 2) continue; // 1.2.30: more often a version or a section
      } else if (g.da !== undefined) {
        if (!DAY_MONTH_CUE.test(before(text, start, 24))) continue;
        const a = Number(g.da);
        const b = Number(g.db);
        if (!validDayMonth(a, b) && !validDayMonth(b, a)) continue;
        out.push({ type: 'DATE', start, end, kind: 'weak' });
        continue;
      } else if (g.iy !== undefined) {
        if (!validDayMonth(Number(g.id), Number(g.im))) continue;
        if (g.isep === '.' && (g.im!.length < 2 || g.id!.length < 2)) continue; // 2024.4.3 is a version
      } else if (g.dd !== undefined) {
        if (Number(g.dd) < 1 || Number(g.dd) > 31) continue;
      } else if (g.md !== undefined) {
        if (Number(g.md) < 1 || Number(g.md) > 31) continue;
      }
      const lead = before(text, start, 48);
      if (VERSION.test(lead)) continue;
      // A date in a range ("from January 1, 1992, to March 31, 1998", "between 8/1/97 and 1/31/99")
      // is a period, a study's or a service's: a person's only in a document about one.
      const range = RANGE_BEFORE.test(lead) || RANGE_AFTER.test(text.slice(end, end + 24));
      out.push(DATE_CUES.test(lead) && !range ? { type: 'DATE', start, end } : { type: 'DATE', start, end, kind: 'weak' });
    }
  },
};
