import { before } from './context.js';
import type { Detector } from './span.js';
import { TRIGGERS, wordHits } from './triggers.js';

/**
 * Numbers that identify a person, by the label before them, in the label styles of hospitals,
 * insurers and registries (US, UK, Canada, Australia, Ireland). The label stays, the value becomes
 * the placeholder: "MRN: <MRN>". A value has at least two digits and runs to the end of its group
 * of letters and digits (single spaces, hyphens, slashes and dots inside it, when what follows a
 * space has a digit): "943 476 5919", "1EG4-TE5-MK73", "(01)00844588003288(17)141120".
 *
 * Unlabelled formats with a check or a fixed shape are found too: dashed SSNs, Medicare MBIs.
 */
const NUM = String.raw`(?:no\.?|nos\.?|number|num\.?|#|id|identifier)`;
/** A label: `strong` ones stand alone ("MRN 1234"); `weak` ones are words too, so they need a number word or a colon ("NHS No", "Medicare:"). */
const label = (strong: string[], weak: string[]) =>
  [...strong, ...weak.map((w) => String.raw`(?:${w})(?:[ \t]*${NUM}|(?=[ \t]*[:#]))`)].join('|');
const LABELS: [type: string, label: string][] = [
  [
    'SSN',
    label(
      [String.raw`s\.s\.n\.?|ssn|ss[ \t]?#|ss[ \t]no\.?|nino|aadhaa?r(?:[ \t]*${NUM})?|soc\.?[ \t]*sec\.?(?:[ \t]*(?:no\.?|number|#))?`],
      [String.raw`social[ \t]+security|sin|ni|national[ \t]+insurance|ppsn?|tfn|tax[ \t]+file|pan`],
    ),
  ],
  [
    'MRN',
    label(
      [String.raw`m\.r\.n\.?|mrn#?|mr#|med[ \t]*rec\.?[ \t]*#|nhi|uhid`],
      [String.raw`med(?:ical|\.)?[ \t]*rec(?:ord|\.)?s?|our[ \t]+ref|your[ \t]+ref|ref(?:erence)?|id|mrd|ip|op|cr|uhid|nhi|hospital|hosp\.?|chart|unit|patient|pt\.?|encounter|enc\.?|visit|case|admission|adm\.?|registration|reg\.?|clinic|record|accession|specimen|sample|lab(?:oratory)?|health[ \t]+record|ehr|emr|episode|referral|file|nhs|chi|h&c|ihi|urn|ur`],
    ),
  ],
  [
    'ACCOUNT',
    label(
      [String.raw`acct\.?(?:[ \t]*${NUM})?|mbi|hicn|ohip|ramq|iban|pm-?jay(?:[ \t]*${NUM})?|abha(?:\/pm-?jay)?(?:[ \t]*${NUM})?|bank[ \t]+account|(?:account|policy|group|claim)(?=[ \t]+[A-Z0-9]*\d)`],
      [String.raw`account|billing|subscriber|member|policy|group|plan|insurance|beneficiary|claim|certificate|cert\.?|contract|invoice|guarantor|card|health[ \t]+plan|medicare(?:[ \t]+(?:card|beneficiary))?|medicaid|medical[ \t]+card|phn`],
    ),
  ],
  [
    'LICENSE',
    label(
      [String.raw`(?:driver'?s?|drivers|driving)[ \t]+licen[cs]e(?:[ \t]*${NUM})?|d\.?l\.?[ \t]*#|dea(?:[ \t]*${NUM})?|npi(?:[ \t]*${NUM})?|upin|(?:licen[cs]e|number|registration)[ \t]+plate|(?:medical|nursing|state|professional)[ \t]+licen[cs]e(?:[ \t]*${NUM})?|(?:rn[ \t]+)?lic\.?(?:[ \t]*${NUM})?|(?:gmc|nmc|hcpc|gphc|ahpra|imc|mmc|mcnz|ncnz|nmbi|cpso|cpsbc)(?:[ \t]+(?:pin|reg(?:istration)?\.?))?(?:[ \t]*${NUM})?`],
      [String.raw`d\.?l\.?|licen[cs]e|passport|provider|prescriber|registration|reg\.?`],
    ),
  ],
  [
    'DEVICE',
    label(
      [String.raw`s\/n|udi|imei|meid|vin|mac(?:[ \t]+address)?|serial(?:[ \t]+(?:number|no\.?))?`],
      [String.raw`sn|device|implant|pacemaker|transmitter|pump|vehicle(?:[ \t]+identification)?`],
    ),
  ],
];
// A label, then optionally ":" / "#" / "-" / "is" and spaces, then the value.
const SEP = String.raw`(?:[ \t]*[:#=-][ \t]*|[ \t]+(?:is[ \t]+|of[ \t]+)?|[ \t]*\([ \t]*)`;
const VALUE = String.raw`(?=[A-Z0-9()\-/. \t]{0,6}\d)(?<v>[A-Z0-9(][A-Z0-9()]*(?:(?:[-/.]|[ \t](?=[A-Z(]*\d))[A-Z0-9()]+){0,6})`;
// One alternation of every label behind one \b (a third faster than one group per type); the
// label's type is found after a match, by the type's own expression.
const LABELLED = new RegExp(String.raw`\b(?<l>${LABELS.map(([, label]) => `(?:${label})`).join('|')})${SEP}${VALUE}`, 'gi');
const LABELLED_RULE = TRIGGERS.add(LABELLED);
const LABEL_TYPES = LABELS.map(([type, label]) => ({ type, re: new RegExp(`^(?:${label})$`, 'i') }));
/** Labels that are also words ("serial", "licence", "lic"): their value needs four digits ("serial 12-lead ECGs" is not a device). */
const WORDY_LABEL = /^(?:serial|lic\.?|licen[cs]e|ref(?:erence)?|id|ip|op|cr|reg\.?|registration|pan)$/i;
/** Words that take a value with no number word or colon only when it has five digits: "policy 1021 7152 88", not "group 2 diabetes". */
const BARE_WORD_LABEL = /^(?:account|policy|group|claim)$/i;
/** A UK National Insurance number: two letters, six digits, a letter A-D. */
const NINO = /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D]\b/g;
/** A serial number told in a sentence: "the serial number on the back is 8GSDLJ". */
const SERIAL_IN_PROSE = /\bserial(?:[ \t]+(?:number|no\.?))?\b(?:[^.\n:]{0,40}?\b(?:is|was|reads|:))?[ \t]+(?<v>[A-Z0-9][A-Z0-9-]{3,20})(?![\w-])/gi;
const SERIAL_RULE = TRIGGERS.add(SERIAL_IN_PROSE);
/** An IBAN: a country code, two check digits, up to 30 letters and digits in groups of four (checked mod 97). */
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g;
function ibanValid(iban: string): boolean {
  const s = iban.replace(/ /g, '');
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : Number(ch);
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return s.length >= 15 && rest === 1;
}
/** A MAC address. */
const MAC = /\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b/g;
// What every match of the letter-led expressions holds, looked for first from its rarer characters:
// a scan from a letter tries most places of a text, one from a separator or digit few.
/** Whether a separator, two hex digits, a separator, two more and a separator stand anywhere (/[:-]XX[:-]XX[:-]/, by indexOf: a tenth of the expression's time where dashes are common). */
const HEX = new Uint8Array(128).map((_, c) => (/[0-9A-Fa-f]/.test(String.fromCharCode(c)) ? 1 : 0));
const isSeparator = (c: number) => c === 58 || c === 45;
const MAC_GATE = {
  test(text: string): boolean {
    for (const sep of [':', '-']) {
      for (let i = text.indexOf(sep); i >= 0; i = text.indexOf(sep, i + 1)) {
        const c = (k: number) => text.charCodeAt(i + k);
        if (HEX[c(1)] === 1 && HEX[c(2)] === 1 && isSeparator(c(3)) && HEX[c(4)] === 1 && HEX[c(5)] === 1 && isSeparator(c(6))) return true;
      }
    }
    return false;
  },
};
const NINO_GATE = /\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D]\b/;
const IBAN_GATE = /\d{2}[ ]?[A-Z0-9]{4}[ ]?[A-Z0-9]{4}/;
/**
 * Any other number that identifies (Safe Harbor's last item), without a label: a run of seven or
 * more digits, or six or more letters and digits with four digits at least (CLN404484642,
 * POL-22439-78, IP/64/977075). Weak: redacted in a document about a person only. Decimals, amounts,
 * dates and phone numbers are not runs (the others are found first and win where they overlap).
 */
const TOLL_FREE_LIKE = /^(?:1-?8(?:00|33|44|55|66|77|88)\b|18(?:00|33)|1300|080[08])/;
const DIGITS4 = /\d{4,}/g;
/** The characters of an identifier token, by code unit: capital letters, digits, "-" and "/". */
const TOKEN_CHAR = new Uint8Array(128).map((_, c) => (/[A-Z0-9/-]/.test(String.fromCharCode(c)) ? 1 : 0));

/** US SSN, dashed, with the Social Security Administration's never-issued areas left out. */
const SSN = /(?<![\d-])(?:00[1-9]|0[1-9]\d|[1-578]\d\d|6[0-57-9]\d|66[0-57-9])-(?:0[1-9]|[1-9]\d)-(?:000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d\d\d)(?![\d-])/g;
/** A Medicare Beneficiary Identifier: 11 characters in a fixed shape, with or without its dashes. */
const MBI = /\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y]{2}\d\d\b/g;

/**
 * Which of the digit-led searches can match anywhere in a text (bits: SSN, MBI, NINO gate, IBAN
 * gate), by one pass of their alternation, each tried at every place where any of them matches:
 * four passes of their own cost a fifth more.
 */
const DIGIT_LED = [SSN, MBI, NINO_GATE, IBAN_GATE];
const [SSN_CAN, MBI_CAN, NINO_CAN, IBAN_CAN] = [1, 2, 4, 8];
const ANY_DIGIT_LED = new RegExp(DIGIT_LED.map((re) => `(?:${re.source})`).join('|'), 'g');
const DIGIT_LED_AT = DIGIT_LED.map((re) => new RegExp(re.source, 'y'));
function digitLed(text: string): number {
  let can = 0;
  ANY_DIGIT_LED.lastIndex = 0;
  for (let m = ANY_DIGIT_LED.exec(text); m && can !== 15; m = ANY_DIGIT_LED.exec(text)) {
    for (let k = 0; k < DIGIT_LED_AT.length; k++) {
      const re = DIGIT_LED_AT[k]!;
      re.lastIndex = m.index;
      if (re.test(text)) can |= 1 << k;
    }
    ANY_DIGIT_LED.lastIndex = m.index + 1;
  }
  return can;
}

export const idDetector: Detector = {
  name: 'ids',
  types: ['SSN', 'MRN', 'ACCOUNT', 'LICENSE', 'DEVICE', 'ID'],
  find(text, out, doc) {
    const hits = wordHits(text, doc);
    for (let m = hits.exec(LABELLED_RULE, 0), from = 0; m; m = hits.exec(LABELLED_RULE, from)) {
      const g = m.groups!;
      const label = g.l!;
      let value = g.v!;
      // Trailing dots and brackets are punctuation: "(MRN 1234)." A "(" opening the value stays only when it closes.
      value = value.replace(/[.)]+$/, (tail) => (value.includes('(') && tail.startsWith(')') ? ')' : ''));
      const digits = value.replace(/\D/g, '').length;
      if (digits < 2 || value.length < 4 || (WORDY_LABEL.test(label.trim()) && digits < 4) || (BARE_WORD_LABEL.test(label.trim()) && (digits < 5 || !/^(?:[A-Z0-9-]{5,}|\d{2,4}(?: \d{2,4}){1,3})$/i.test(value)))) {
        from = m.index + label.length;
        continue;
      }
      const end = m.index + m[0].length - (g.v!.length - value.length);
      const type = /^(?:(?:our|your)[ \t]+)?(?:ref(?:erence)?|id)$/i.test(label.replace(/[ \t]*(?:no\.?|nos\.?|number|num\.?|#|id|identifier)$/i, '').trim()) ? 'ID' : (LABEL_TYPES.find((t) => t.re.test(label))?.type ?? 'MRN');
      out.push({ type, start: end - value.length, end });
      from = end;
    }
    for (let m = hits.exec(SERIAL_RULE, 0); m; m = hits.exec(SERIAL_RULE, m.index + m[0].length)) {
      const v = m.groups!.v!;
      // capitals and digits only: "serial 12-lead ECGs" is not a device
      if (/\d/.test(v) && !/[a-z]/.test(v)) out.push({ type: 'DEVICE', start: m.index + m[0].length - v.length, end: m.index + m[0].length });
    }
    IBAN.lastIndex = 0;
    const led = digitLed(text);
    if (led & IBAN_CAN) for (let m = IBAN.exec(text); m; m = IBAN.exec(text)) if (ibanValid(m[0]) || /\b(?:account|iban|bank|acct)\b[^\n]{0,20}$/i.test(before(text, m.index, 40))) out.push({ type: 'ACCOUNT', start: m.index, end: m.index + m[0].length });
    for (const [re, type, can] of [[SSN, 'SSN', led & SSN_CAN], [MBI, 'ACCOUNT', led & MBI_CAN], [NINO, 'SSN', led & NINO_CAN], [MAC, 'DEVICE', MAC_GATE.test(text) ? 1 : 0]] as const) {
      if (!can) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) out.push({ type, start: m.index, end: m.index + m[0].length });
    }
  },
  findWeak(text, out) {
    // At each run of four digits, the token around it: letters in capitals, digits, "-" and "/".
    DIGITS4.lastIndex = 0;
    for (let m = DIGITS4.exec(text); m; m = DIGITS4.exec(text)) {
      let start = m.index;
      let end = m.index + m[0].length;
      while (start > 0 && TOKEN_CHAR[text.charCodeAt(start - 1)] === 1) start--;
      while (end < text.length && TOKEN_CHAR[text.charCodeAt(end)] === 1) end++;
      while (end > start && (text[end - 1] === '-' || text[end - 1] === '/')) end--;
      while (start < end && (text[start] === '-' || text[start] === '/')) start++;
      DIGITS4.lastIndex = end;
      const token = text.slice(start, end);
      // Not part of a longer word, decimal, amount or code: the characters either side
      if (/[\p{L}\p{N}_.,$£€%]/u.test(text[start - 1] ?? '') || /^(?:[\p{L}_$%]|[.,]\d)/u.test(text.slice(end, end + 2))) continue;
      if (TOLL_FREE_LIKE.test(token)) continue; // 1-800-MEDICARE, 1800-11-2356, 0800 ...: public lines
      const digits = token.replace(/\D/g, '').length;
      // six digits only after a code or a label ("RA 241557", "No. 508081"): alone they are often counts
      const coded = digits === 6 && token.length === 6 && /(?:\b[A-Z]{2,4}|#|\bNo\.?|:)[ \t]*$/.test(before(text, start, 10));
      if (digits >= 7 || coded || (token.length >= 6 && /[A-Z]/.test(token) && digits >= 4)) out.push({ type: 'ID', start, end, kind: 'weak' });
    }
  },
};
