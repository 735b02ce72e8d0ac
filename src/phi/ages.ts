import { before, spacesBack } from './context.js';
import type { Detector } from './span.js';
import { TRIGGERS, wordHits } from './triggers.js';

/**
 * AGE: ages over 89 (Safe Harbor folds them into "90 or older"), of one person: "92-year-old",
 * "94 years old", "91 y/o", "93yo", "aged 95", "Age: 91", "92F"; and "she is 97" in a personal
 * document. Ages of groups stay: "people over age 90", "after 95 years of age", "aged 90 and older".
 */
/** Ninety to a hundred and nineteen in words. */
const UNITS = 'one|two|three|four|five|six|seven|eight|nine';
const WORDS = `ninety(?:[- ](?:${UNITS}))?|(?:a|one)[ \\t]+hundred(?:[ \\t]+and[ \\t]+(?:${UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?`;
const DIGIT_LED = [
  String.raw`\b(?<n>9\d|1[01]\d)(?:[ \t]*-[ \t]*|[ \t]*)(?:years?|yrs?|y)(?:[ \t]*-[ \t]*|[ \t]*|\.)(?:old|of age|\/o|o\b)`,
  String.raw`\b(?<y>9\d|1[01]\d)[ \t]*(?:yrs?|Y)\b\.?`,
  String.raw`\b(?<c>9\d|1[01]\d)[ \t]+years?\b(?=,)`,
];
const LABELLED = String.raw`\bage(?:d|:)?(?:[ \t]*\/[ \t]*(?:sex|gender)[ \t]*:?)?[ \t]*(?:of[ \t]+)?(?<l>9\d|1[01]\d)(?![\w.%]|\.\d)`;
const SEX = String.raw`\b(?<s>9\d|1[01]\d)[ \t]?(?:M|F)\b`;
const VERBS = ['is', 'was', 'turned', 'turns', 'now', 'at', "i'm", 'i’m', 'i am', 'aged'];
const VERBED = String.raw`\b(?:${VERBS.join('|')})[ \t]+(?<v>9\d|1[01]\d)(?![\w.%/]|\.\d|[ \t-]*(?:y\b|yo\b|y\/o|yrs?\b|years?[ \t-]+old|years?[ \t]+of[ \t]+age)|[ \t]*(?:%|percent|mg|mcg|g\b|kg|lb|cm|mm|ml|mmhg|bpm|beats|days|weeks|months|minutes|hours|times|cases|people|patients|per|years? ago))`;
const AGE = new RegExp([...DIGIT_LED, LABELLED, SEX, VERBED].join('|'), 'gi');
/** AGE tried at a place: every match starts at a number (the digit-led readings) or at a label or verb before one. */
const AGE_AT = new RegExp(AGE.source, 'iy');
/** Where a digit-led reading starts (searched alone: a search for the words too tries every word). */
const NUMBER_LED = new RegExp([...DIGIT_LED, SEX].join('|'), 'gi');
/** A number from 90 to 119 that a label or verb may stand before. */
const NINETY_TO_119 = /(?<!\d)(?:9\d|1[01]\d)(?![\w.%])/g;
/** The characters a label's part ("age / sex: of") is made of, by code unit. */
const LABEL_CHAR = new Uint8Array(128).map((_, c) => (/[A-Za-z:/ \t]/.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * The places a label or verb reading may start, in order: for each number from 90 to 119, a verb
 * ending just before its spaces, and every "age" in the run of label characters before it (the run
 * stops at the last number, so the text is walked once).
 */
function wordLedStarts(text: string): number[] {
  const starts: number[] = [];
  let floor = 0;
  NINETY_TO_119.lastIndex = 0;
  for (let m = NINETY_TO_119.exec(text); m; m = NINETY_TO_119.exec(text)) {
    const q = m.index;
    const here: number[] = [];
    let from = q;
    while (from > floor && LABEL_CHAR[text.charCodeAt(from - 1)] === 1) from--;
    const run = text.slice(from, q).toLowerCase();
    for (let i = run.indexOf('age'); i >= 0; i = run.indexOf('age', i + 1)) here.push(from + i);
    const e = spacesBack(text, q);
    if (e < q) for (const verb of VERBS) if (e - verb.length >= 0 && text.slice(e - verb.length, e).toLowerCase() === verb) here.push(e - verb.length);
    starts.push(...here.sort((a, b) => a - b));
    floor = q + m[0].length;
  }
  return starts;
}
/** The same with ages in words ("ninety-two years old"), for the texts that have such words. */
const AGE_WITH_WORDS = new RegExp(AGE.source.replace('(?<n>9\\d|1[01]\\d)', `(?<n>9\\d|1[01]\\d|${WORDS})`).replace('(?<v>9\\d|1[01]\\d)', `(?<v>9\\d|1[01]\\d|${WORDS})`), 'gi');
/** Texts without a number from 90 to 119, in digits or words, have no age to find. */
const NINETY_PLUS = /(?<!\d)(?:9\d|1[01]\d)(?!\d)/;
const NINETY_WORDS = TRIGGERS.add(/\b(?:ninety|hundred)/gi);
/** What makes an age a group's: a bound or a plural before it, "and older" after it. */
const GROUP_BEFORE = /\d[ \t]*[-–][ \t]*$|\b(?:over|above|under|below|older than|younger than|than|after|before|until|till|by|from|to|between|beyond|past|least|reach(?:ing|ed)?|reaches|aged? \d+ (?:and|to|or)|people|adults|persons|individuals|those|women|men|patients)[ \t]*(?:the[ \t]+)?(?:age[ \t]*(?:of[ \t]*)?)?$/i;
const GROUP_AFTER = /^[ \t]*(?:and|or)[ \t]+(?:older|over|above|up|beyond)|^[ \t]*\+|^[ \t]*(?:-|to|and)[ \t]*\d/i;

export const ageDetector: Detector = {
  name: 'ages',
  types: ['AGE'],
  find(text, out, doc) {
    // (words from the shared word scan: a case-blind search of its own costs as much as all the digits')
    const words = wordHits(text, doc).exec(NINETY_WORDS, 0) !== null;
    if (!words && !NINETY_PLUS.test(text)) return;
    const re = words ? AGE_WITH_WORDS : AGE;
    // AGE's search, tried only where a match can start (with ages in words, the search itself)
    const wordLed = words ? [] : wordLedStarts(text);
    let w = 0;
    let n: RegExpExecArray | null | undefined; // the next digit-led reading, kept while still ahead
    const next = (from: number): RegExpExecArray | null => {
      if (words) {
        re.lastIndex = from;
        return re.exec(text);
      }
      for (;;) {
        if (n === undefined || (n !== null && n.index < from)) {
          NUMBER_LED.lastIndex = from;
          n = NUMBER_LED.exec(text);
        }
        while (w < wordLed.length && wordLed[w]! < from) w++;
        const at = Math.min(n?.index ?? Infinity, wordLed[w] ?? Infinity);
        if (at === Infinity) return null;
        AGE_AT.lastIndex = at;
        const m = AGE_AT.exec(text);
        if (m) return m;
        from = at + 1;
      }
    };
    for (let m = next(0), from = 0; m; m = next(from)) {
      from = m.index + m[0].length;
      const g = m.groups!;
      let start = m.index;
      const end = start + m[0].length;
      if (g.s !== undefined && m[0].search(/[MF]$/) < 0) continue; // the i flag let "92m" in: only capitals
      if (g.c !== undefined && !/[A-Za-z]{2},[ \t]+$/.test(before(text, start, 8))) continue; // "Mr Fairbrother, 93 years,"
      const lead = before(text, start, 40);
      if (GROUP_BEFORE.test(lead) || GROUP_AFTER.test(text.slice(end, end + 16))) continue;
      if (g.l !== undefined || g.v !== undefined) {
        // the label or verb stays: "aged <AGE>", "is <AGE>"
        const number = g.l ?? g.v!;
        if (g.v !== undefined && /^\d/.test(number) === false && !/^[ \t]*(?:years?|yrs?|and|,|\.)/i.test(text.slice(end, end + 8))) {
          from = m.index + 1; // another reading may start inside: "is ninety-two years old"
          continue;
        }
        start = end - number.length;
      }
      // "is 97", "92F": ages only in a document about a person
      out.push(g.v !== undefined || g.s !== undefined ? { type: 'AGE', start, end, kind: 'weak' } : { type: 'AGE', start, end });
    }
  },
};
