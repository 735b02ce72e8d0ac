import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { after, before, ORGANISATION } from './context.js';
import { memo } from './memo.js';
import type { Detector } from './span.js';

/**
 * PHONE: phone and fax numbers, international (+44 20 7946 0958, +1 (555) 123-4567) and national in
 * the formats of the detector's regions (US and Canada, UK, Ireland, Australia, New Zealand, India
 * by default). Candidates are runs of digit groups found here; libphonenumber-js (Google's
 * libphonenumber metadata, MIT) decides whether each is a possible number of some region, and of
 * what kind. "Possible" (the right length for its prefix), not "valid" (an assigned range): made-up
 * numbers in real letters use unassigned area codes too, and a redactor must not let them through.
 *
 * Short runs (seven or eight digits with no area code, "555-1234") need a cue before them (tel,
 * phone, call, fax, mobile ...). Runs shaped like dates, decimals or ranges are not numbers.
 *
 * Public contacts, kept by default: toll-free, shared-cost and premium numbers (1-800, 0800, 0300,
 * 1800 ...), and, in a document about no person, a number next to an organisation's name.
 */
const CANDIDATE = /(?<![\w+/.,-]|\d[ \t])(?:\+[ \t]?\d{1,3}[ \t.-]?|1[ \t.-]?(?=\())?(?:\([ \t]?0[ \t]?\)[ \t]?)?(?:\(\d{1,5}\)[ \t.-]?)?\d{1,11}(?:(?:[ \t]?[.-][ \t]?|[ \t])\d{1,6}){0,5}(?![\w/]|[.,-]\d)/g;
const CUE = /\b(?:tel|telephone|phone|ph|call|called|fax|mobile|mob|cell|cellphone|landline|ring|text|txt|sms|whatsapp|contact|contacted|number|no|reach|nok|pager|bleep|ext|on|at)\.?[ \t:#]*$/i;
/** An extension after a number: " ext. 288", " Ext: 2999", " extn 7898", " x12". */
const EXTENSION = /[ \t]*,?[ \t]*(?:ext|extn|extension|x)\.?[ \t]*:?[ \t]*\d{1,6}\b/iy;
/** Toll-free and shared-cost ranges by their prefix, for numbers libphonenumber calls invalid (a made-up 1-855-082-...). */
const TOLL_FREE_PREFIX = /^1?8(?:00|33|44|55|66|77|88)\d{7}$|^0(?:800|808|500|300|30\d|34\d|37\d)|^1(?:800|300|850|3\d{4}$)|^0508/;
const ZIP4 = /^\d{5}-\d{4}$/;
/** Four dotted groups of one to three digits: an IP address (contacts.ts), not a number to dial. */
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const DATE_SHAPE = /^\d{1,4}([./-])\d{1,2}\1\d{1,4}$/;
/** Words near a number that make it a person's. */
const PERSONAL_CUE = /\b(?:my|me|mine|i|our|his|her|their|home|mobile|mob|cell|cellphone|personal|nok|next[ \t]+of[ \t]+kin|wife|husband|son|daughter|mother|mum|mom|father|dad|patient|pt|contacted|reach|text|txt|whatsapp)\b/i;
const NANP = new Set<string>(['US', 'CA', 'AG', 'AI', 'AS', 'BB', 'BM', 'BS', 'DM', 'DO', 'GD', 'GU', 'JM', 'KN', 'KY', 'LC', 'MP', 'MS', 'PR', 'SX', 'TC', 'TT', 'VC', 'VG', 'VI']);
const PUBLIC_TYPES = new Set(['TOLL_FREE', 'SHARED_COST', 'PREMIUM_RATE', 'UAN', 'VOICEMAIL']);

/**
 * A candidate read by libphonenumber in the first region (in the configured order) where its length
 * is possible ("" for international: its own prefix says): its type when valid ("" when only
 * possible), or null when no reading is possible. Regions are tried one at a time. Keyed by regions
 * and text (memo.ts: a signature's numbers recur through a list's messages; a parse costs microseconds).
 */
const readNumber = memo((key: string): string | null => {
  const cut = key.indexOf('\u0000');
  const regions = key.slice(0, cut);
  const raw = key.slice(cut + 1);
  let reading = regions === '' && raw.startsWith('+') ? parsePhoneNumberFromString(raw) : undefined;
  if (reading && !reading.isPossible()) reading = undefined;
  for (const region of regions === '' ? [] : (regions.split(',') as CountryCode[])) {
    if (reading) break;
    const n = parsePhoneNumberFromString(raw, region);
    if (n?.isPossible()) reading = n;
  }
  if (!reading) return null;
  return reading.isValid() ? (reading.getType() ?? '') : '';
});

export interface PhoneOptions {
  /** Regions whose national formats are read (ISO 3166 codes, GB for the UK). */
  regions: readonly CountryCode[];
}

export function phoneDetector(options: PhoneOptions): Detector {
  return {
    name: 'phones',
    types: ['PHONE'],
    find(text, out) {
      CANDIDATE.lastIndex = 0;
      for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
        // most candidates are short numbers ("12", "2002"): count the digits before making any string
        const found = m[0];
        if (found.length < 7) continue;
        let count = 0;
        for (let i = 0; i < found.length; i++) {
          const c = found.charCodeAt(i);
          if (c >= 48 && c <= 57) count++;
        }
        if (count < 7 || count > 15) continue;
        const raw = m[0].trimEnd();
        const digits = raw.replace(/\D/g, '');
        if (DATE_SHAPE.test(raw) || ZIP4.test(raw) || DOTTED_QUAD.test(raw)) continue;
        const lead = before(text, m.index, 32);
        const cued = CUE.test(lead);
        const international = raw.startsWith('+');
        const grouped = /[ ().-]/.test(raw);
        // A bare run of digits is a number only with a cue; so is a short one with no area code.
        if ((!grouped || digits.length <= 8) && !international && !cued) continue;
        // A national number is read in the regions its first digit fits: 0 is the trunk prefix outside
        // North America (UK, Ireland, Australia ...), 2-9 starts a North American area code (and 1 a
        // North American "1-" or an Australian 1300/1800): "(373) 870-7356" is not a UK number.
        const nanp = (digits.length === 10 && /^[2-9]/.test(digits)) || (digits.length === 11 && /^1[2-9]/.test(digits));
        const regions = international
          ? []
          : digits.startsWith('0')
            ? options.regions.filter((r) => !NANP.has(r))
            : options.regions.filter((r) => (NANP.has(r) && nanp) || (!NANP.has(r) && !nanp && r !== 'GB' && r !== 'IE' && cued));
        const reading = readNumber(`${regions.join(',')}\u0000${raw}`);
        if (reading === null) continue;
        const type = reading || undefined;
        // A number is a person's for sure only with a personal cue near it ("my mobile", "call me",
        // "NOK", "home") and no organisation's name; otherwise it may be an office's (redacted in a
        // personal document), or a public line (toll-free ..., kept unless the policy says otherwise).
        const personal = PERSONAL_CUE.test(before(text, m.index, 60)) && !organisationNear(text, m.index);
        const tollFree = (type !== undefined && PUBLIC_TYPES.has(type)) || TOLL_FREE_PREFIX.test(international ? '' : digits);
        const kind = personal ? undefined : tollFree ? 'public' : 'org';
        EXTENSION.lastIndex = m.index + raw.length;
        const ext = EXTENSION.exec(text);
        out.push({ type: 'PHONE', start: m.index, end: ext ? EXTENSION.lastIndex : m.index + raw.length, ...(kind ? { kind } : {}) });
      }
    },
  };
}

function organisationNear(text: string, at: number): boolean {
  const lead = before(text, at, 160, 1);
  return ORGANISATION.test(lead) || /https?:\/\/|www\.|@/.test(lead) || /^[^\n]{0,40}\b(?:hotline|helpline|information|toll)/i.test(after(text, at, 60));
}
