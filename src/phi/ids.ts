import type { Detector } from './span.js';

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
      [String.raw`s\.s\.n\.?|ssn|ss[ \t]?#|ss[ \t]no\.?|nino|soc\.?[ \t]*sec\.?(?:[ \t]*(?:no\.?|number|#))?`],
      [String.raw`social[ \t]+security|sin|ni|national[ \t]+insurance|ppsn?|tfn|tax[ \t]+file`],
    ),
  ],
  [
    'MRN',
    label(
      [String.raw`m\.r\.n\.?|mrn#?|med[ \t]*rec\.?[ \t]*#`],
      [String.raw`med(?:ical|\.)?[ \t]*rec(?:ord|\.)?s?|hospital|hosp\.?|chart|unit|patient|pt\.?|encounter|enc\.?|visit|case|admission|adm\.?|registration|reg\.?|clinic|record|accession|specimen|sample|lab(?:oratory)?|health[ \t]+record|ehr|emr|episode|referral|file|nhs|chi|h&c|ihi|urn|ur`],
    ),
  ],
  [
    'ACCOUNT',
    label(
      [String.raw`acct\.?(?:[ \t]*${NUM})?|mbi|hicn|ohip`],
      [String.raw`account|billing|subscriber|member|policy|group|plan|insurance|beneficiary|claim|certificate|cert\.?|contract|invoice|guarantor|card|health[ \t]+plan|medicare(?:[ \t]+(?:card|beneficiary))?|medicaid|medical[ \t]+card|phn`],
    ),
  ],
  [
    'LICENSE',
    label(
      [String.raw`(?:driver'?s?|drivers|driving)[ \t]+licen[cs]e(?:[ \t]*${NUM})?|d\.?l\.?[ \t]*#|dea(?:[ \t]*${NUM})?|npi(?:[ \t]*${NUM})?|upin|(?:licen[cs]e|number|registration)[ \t]+plate`],
      [String.raw`d\.?l\.?|licen[cs]e|gmc|nmc|hcpc|gphc|ahpra|imc|cpso|passport|provider|prescriber`],
    ),
  ],
  [
    'DEVICE',
    label(
      [String.raw`s\/n|udi|imei|meid|vin|mac[ \t]+address`],
      [String.raw`serial|sn|device|implant|pacemaker|vehicle(?:[ \t]+identification)?`],
    ),
  ],
];
// A label, then optionally ":" / "#" / "-" / "is" and spaces, then the value.
const SEP = String.raw`(?:[ \t]*[:#=-][ \t]*|[ \t]+(?:is[ \t]+|of[ \t]+)?|[ \t]*\([ \t]*)`;
const VALUE = String.raw`(?=[A-Z0-9()\-/. 	]{0,6}\d)(?<v>[A-Z0-9(][A-Z0-9()]*(?:(?:[-/.]|[ \t](?=[A-Z(]*\d))[A-Z0-9()]+){0,6})`;
// One alternation of every label behind one \b (a third faster than one group per type); the
// label's type is found after a match, by the type's own expression.
const LABELLED = new RegExp(String.raw`\b(?<l>${LABELS.map(([, label]) => `(?:${label})`).join('|')})${SEP}${VALUE}`, 'gi');
const LABEL_TYPES = LABELS.map(([type, label]) => ({ type, re: new RegExp(`^(?:${label})$`, 'i') }));

/** US SSN, dashed, with the Social Security Administration's never-issued areas left out. */
const SSN = /(?<![\d-])(?:00[1-9]|0[1-9]\d|[1-578]\d\d|6[0-57-9]\d|66[0-57-9])-(?:0[1-9]|[1-9]\d)-(?:000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d\d\d)(?![\d-])/g;
/** A Medicare Beneficiary Identifier: 11 characters in a fixed shape, with or without its dashes. */
const MBI = /\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y]{2}\d\d\b/g;

export const idDetector: Detector = {
  name: 'ids',
  types: ['SSN', 'MRN', 'ACCOUNT', 'LICENSE', 'DEVICE'],
  find(text, out) {
    LABELLED.lastIndex = 0;
    for (let m = LABELLED.exec(text); m; m = LABELLED.exec(text)) {
      const g = m.groups!;
      const label = g.l!;
      let value = g.v!;
      // Trailing dots and brackets are punctuation: "(MRN 1234)." A "(" opening the value stays only when it closes.
      value = value.replace(/[.)]+$/, (tail) => (value.includes('(') && tail.startsWith(')') ? ')' : ''));
      if (value.replace(/\D/g, '').length < 2 || value.length < 4) {
        LABELLED.lastIndex = m.index + label.length;
        continue;
      }
      const end = m.index + m[0].length - (g.v!.length - value.length);
      out.push({ type: LABEL_TYPES.find((t) => t.re.test(label))?.type ?? 'MRN', start: end - value.length, end });
      LABELLED.lastIndex = end;
    }
    for (const re of [SSN, MBI]) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push({ type: re === SSN ? 'SSN' : 'ACCOUNT', start: m.index, end: m.index + m[0].length });
        }
    }
  },
};
