import { after, before, ORGANISATION, spacesBack } from './context.js';
import { lexicon } from './lexicon.js';
import { CITATION_AFTER, eponymAfter } from './names.js';
import type { Detector, PhiSpan } from './span.js';
import { TRIGGERS, wordHits, type WordHits } from './triggers.js';

/**
 * ADDRESS: geographic units smaller than a state, by format: street addresses (a number, up to four
 * capitalised words, a street type from USPS Publication 28 and its UK, Irish and Australian
 * counterparts, and a flat, apartment or suite), PO boxes, the town and ZIP of a US "City, ST 12345"
 * line (the state stays), ZIP codes after a label, UK postcodes (of the 121 real postcode areas) with
 * the town before them, Canadian postal codes, Australian suburb and postcode lines, and Irish
 * Eircodes after a town.
 *
 * An address under an organisation's name in a document about no person (a charity's office on a
 * public health page) is a public contact, kept by default.
 */
const STREET_TYPES =
  'Street|St|Avenue|Ave|Av|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Court|Ct|Place|Pl|Way|Circle|Cir|Terrace|Terr?|Parkway|Pkwy|Trail|Trl|Highway|Hwy|Close|Crescent|Cres|Gardens|Gdns|Grove|Gr|Mews|Row|Walk|Rise|Hill|Green|Square|Sq|Parade|Pde|Esplanade|Alley|Loop|Pike|Run|Path|Vale|View|Heights|Hts|Wharf|Quay|Yard|Broadway|Plaza|Plz|Crossing|Xing|Point|Pt|Ridge|Row|Glen|Dale|Park|Fields|Meadows?|Brae|Wynd|Chase|Drove|Gate|Lea|Mount|Ter|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke';
const UNIT = String.raw`(?:Apt|Apartment|Unit|Suite|Ste|Flat|Room|Rm|Floor|Fl|Bldg|Building|#)\.?[ \t]*#?[ \t]*[A-Za-z0-9-]{1,6}`;
const WORD = String.raw`(?:[A-Z][A-Za-z'’.-]{0,30}|\d{1,3}(?:st|nd|rd|th)|[A-Z]{2,})`;
const STREET = new RegExp(
  String.raw`(?<![\w,.-])\d{1,6}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?,?[ \t]+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?[ \t]+)?(?:${WORD}[ \t]+){0,4}?(?:${WORD})[ \t]+(?:${STREET_TYPES})\b\.?(?:[ \t]+(?:${STREET_TYPES})\b\.?)?(?:,?[ \t]+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?(?:,?[ \t]+${UNIT}\b)?`,
  'y',
);
/** "Flat 2, " or "Apt 4B " before a street number: part of the address. */
const UNIT_BEFORE = new RegExp(String.raw`(?:^|[^\w])(${UNIT}),?[ \t]+$`);
const PO_BOX = /\b(?:P\.?[ \t]?O\.?[ \t]?|Post[ \t]+Office[ \t]+)Box[ \t]+\d{1,6}\b|\bPMB[ \t]+\d{1,6}\b|\bGPO[ \t]+Box[ \t]+\d{1,6}\b/gi;
/** (a rule of the shared word scan: four searches for "Box", "BOX", "box" and "PMB" cost a tenth of this detector's time) */
const PO_BOX_RULE = TRIGGERS.add(PO_BOX);
const STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|AS|MP|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming';
const PLACE_WORD = String.raw`(?:St|Ste|Ft|Mt|Pt)\.|[A-Z][A-Za-z'’-]{1,30}`;
/** A town's name: up to three capitalised words, a dot only in St. / Ft. / Mt. (a sentence's end is not inside a town). */
const PLACE = String.raw`(?:${PLACE_WORD})(?:[ \t](?:${PLACE_WORD})){0,2}`;
/** "Springfield, IL 62704" and "Springfield IL 62704-1234": the town and the ZIP. */
/** A state, province or territory before its ZIP or postcode: US "IL 62704", Canada "ON M5V 2T6", Australia "NSW 2150". */
const REGION_CODE = new RegExp(
  String.raw`\b(?<region>${STATES}|ON|QC|NS|NB|MB|BC|PE|PEI|SK|AB|NL|NT|YT|NU|NSW|VIC|QLD|SA|WA|TAS|ACT)\.?,?[ \t]+(?<code>\d{5}(?:-\d{4})?|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \t]?\d[ABCEGHJ-NPRSTV-Z]\d|\d{4})(?![\w-])`,
  'g',
);
const CA_PROVINCES = new Set('ON QC NS NB MB BC PE PEI SK AB NL NT YT NU'.split(' '));
const AU_STATES = new Set('NSW VIC QLD SA WA TAS NT ACT'.split(' '));
const US_STATES = new Set(STATES.split('|'));
const ZIP_LABEL = /\b(?:zip|zip[ \t]*code|postal[ \t]*code|post[ \t]*code|postcode|eircode)(?![a-z])[ \t]*[:#]?[ \t]*(?<zip>\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|[AC-FHKNPRTV-Y]\d{2}[ \t]?[0-9AC-FHKNPRTV-Y]{4})(?![\w-])/gi;
const ZIP_LABEL_RULE = TRIGGERS.add(ZIP_LABEL);
/** The words an address label is made of (the label's own search is tried only where one stands). */
const STREET_TYPE_RULE = TRIGGERS.add(new RegExp(String.raw`\b(?:${STREET_TYPES})\b`, 'g'));
const REGION_CODE_RULE = TRIGGERS.add(REGION_CODE);
/** UK postcode areas (Royal Mail). */
const UK_AREAS =
  'AB|AL|B|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN|DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE';
/** UK postcodes (of the real areas), Canadian postal codes and Irish Eircodes, in one pass. */
const POSTCODE = new RegExp(
  String.raw`(?<![\w-])(?:(?<uk>(?:${UK_AREAS})\d[A-Z\d]?[ \t]\d[ABD-HJLNP-UW-Z]{2})|(?<ca>[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \t]\d[ABCEGHJ-NPRSTV-Z]\d)|(?<ie>(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ \t]?(?=[0-9AC-FHKNPRTV-Y]{4}(?![\w-]))(?=\S*\d)[0-9AC-FHKNPRTV-Y]{4}))(?![\w-])`,
  'g',
);
/** The town just before a state or province: "Springfield, " in "Springfield, IL 62704". */
const TOWN_AT_END = new RegExp(String.raw`(?<![\w-])(?<town>${PLACE}),?[ \t]+$`);
/** A town alone before a postcode: on the same line ("Leeds LS6 2AB", "Leeds, LS6 2AB") or the line above. */
const TOWN_BEFORE = new RegExp(String.raw`(?:^|[\n,][ \t]*|\b(?:in|at|near|of|from|to|around)[ \t]+)(?<town>${PLACE}(?:[ \t]\d{1,2})?)(?:,?[ \t]+|[ \t]*\n[ \t]*)$`);
/**
 * A town in running text: after "from", "in", "near" ..., or after a hospital's name and a comma
 * (checked against the town list). A rule of the shared word scan: a search of its own, from the
 * space before each capital with the words looked at behind, cost this detector a tenth more.
 */
const TOWN_START_RULE = TRIGGERS.add(/\b(?:from|in|at|near|of|to|around|outside|Hospital,|Infirmary,|Centre,|Center,|Clinic,|Surgery,|Practice,)[ \t]+[A-Z\u0080-\uffff]/g);
const TOWN_WORDS = /\p{Lu}[\p{L}\p{M}'’.-]+(?:[ \t]\p{Lu}[\p{L}\p{M}'’.-]+){0,2}/uy;
/** A town from the list and its postcode, with no state between: "Wellington 6012", "Ahmedabad - 380204", "Hyderabad 500436". */
const BARE_POSTCODE = /(?<![\w-])(?:\d{6}|\d{4})(?![\w-])/g;
/** The characters a town before a postcode ends with (TOWN_BEFORE_CODE's last class). */
const TOWN_END = /[\p{L}\p{M}'’.-]/u;
const TOWN_BEFORE_CODE = /(?<![\w-])(\p{Lu}[\p{L}\p{M}'’.-]+(?:[ \t]\p{Lu}[\p{L}\p{M}'’.-]+){0,2})[ \t]*(?:[-–][ \t]*)?$/u;
/** A segment of an address line read backwards from its town or postcode: "Apartment 18", "# 722", "Plot No. 27/2", "Ard na Gréine House". */
const SEGMENT_BEFORE = /(?:^|[,\n])[ \t]*((?:#[ \t]*)?(?:\p{Lu}[\p{L}\p{M}'’.-]*|\d{1,5}[A-Za-z]?(?:\/\d{1,4})?)(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}'’.-]*|\d{1,5}[A-Za-z]?(?:\/\d{1,4})?|No\.|na|an|de|la|of|on|upon|le)){0,5})[ \t]*,?[ \t]*$/u;
const LABEL_WORDS = /^(?:Tel|Telephone|Fax|Phone|Re|Dear|Date|Name|Address|Postcode|Email|E-mail|Mobile|Mob|From|To|Subject|Patient|DOB|NHS|Ref|Our|Your|Requested|Customer|Dr|Mr|Mrs|Ms|Miss|Prof|Hospital|Department|Consultant|Clinic|Ward|Sex|Age|Gender)$/i;
/**
 * What follows a street line in the same address, segment by segment (after a comma, or on the next
 * line): suburbs, towns, counties ("Co. Kerry"), states, postcodes of any country ("Auckland 1062",
 * "Chandigarh - 160911", "Sector 35"). A segment is capitalised words and short numbers, at most six;
 * a label word, a colon or a lower-case word ends the address.
 */
const SEGMENT = /(?:Co\.[ \t]+)?(?:\p{Lu}[\p{L}\p{M}'’.-]*|\d{1,6}[A-Za-z]?|[-–])(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}'’.-]*|\d{1,6}[A-Za-z]?|[-–]|na|an|de|la|of|on|upon|le)){0,5}(?=[ \t]*(?:,|\n|$|\.[ \t]*(?:\n|$)))/uy;
const SEGMENT_GAP = /[ \t]*(?:,[ \t]*|\n[ \t]*)/y;
/**
 * A label that opens an address ("Address:", "Home address:"), at a line's start (checked where the
 * word scan finds it): the rest of its line, and the lines under it, are the address.
 */
const ADDRESS_LABEL = /\b(?:home[ \t]+|postal[ \t]+|mailing[ \t]+|residential[ \t]+|permanent[ \t]+|current[ \t]+)?(?:address|addr\.?|residence)[ \t]*:[ \t]*/gi;
const ADDRESS_LABEL_RULE = TRIGGERS.add(ADDRESS_LABEL);
// (a postcode starts with capitals: \b, before its own look behind, changes none of its matches)
const POSTCODE_RULE = TRIGGERS.add(new RegExp(`\\b${POSTCODE.source}`, 'g'));
/** A line that is a street without a house number: "Station Road". */
const STREET_LINE = new RegExp(String.raw`[ \t]*(?:\p{Lu}[\p{L}'’.-]*[ \t]+){1,3}(?:${STREET_TYPES})[ \t]*,?(?=[ \t]*\n)`, 'uy');
/** Where a street address may start: a number not inside a word, a decimal or a code (STREET's own look behind). */
const NUMBER_START = /(?<![\w,.-])\d/g;

const LINE_END = new Set([10, 13, 0x2028, 0x2029]);
/** The lines, [start, end), that hold a street's type. */
function streetLines(text: string, hits: WordHits): [number, number][] {
  const lines: [number, number][] = [];
  let end = 0;
  for (let m = hits.exec(STREET_TYPE_RULE, 0); m; m = hits.exec(STREET_TYPE_RULE, end)) {
    // (a line starts after any line terminator, as ^ in a multiline expression does; the walk back
    // stops at the last line's end, so the whole text is walked once however many hits it has)
    let start = m.index;
    while (start > end && !LINE_END.has(text.charCodeAt(start - 1))) start--;
    end = m.index;
    while (end < text.length && !LINE_END.has(text.charCodeAt(end))) end++;
    lines.push([start, end]);
  }
  return lines;
}

/** STREET's matches in order, tried only at the numbers of those lines (a street address stays on its line). */
function streetAddresses(text: string, lines: readonly [number, number][]): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  for (const [start, end] of lines) {
    NUMBER_START.lastIndex = start;
    for (let n = NUMBER_START.exec(text); n && n.index < end; n = NUMBER_START.exec(text)) {
      STREET.lastIndex = n.index;
      const m = STREET.exec(text);
      if (!m) continue;
      found.push(m);
      NUMBER_START.lastIndex = m.index + m[0].length;
    }
  }
  return found;
}

function organisationNear(text: string, start: number, end: number): boolean {
  return ORGANISATION.test(before(text, start, 160, 2)) || /(?:phone|tel|telephone|fax|toll[- ]free|tty|e-?mail|web(?:site)?|internet)\b|www\.|https?:/i.test(after(text, end, 200, 3));
}

export const addressDetector: Detector = {
  name: 'addresses',
  types: ['ADDRESS'],
  find(text, out, doc) {
    const hits = wordHits(text, doc);
    const found: PhiSpan[] = [];
    const add = (start: number, end: number) => found.push({ type: 'ADDRESS', start, end });
    // A street address and a street line hold a street's type ("Road", "St") on their line: they are
    // looked for on the lines that hold one, at each number (as the global search would find them).
    const streets = streetLines(text, hits);
    if (/\d/.test(text)) {
      for (const m of streetAddresses(text, streets)) {
        const lead = before(text, m.index, 24);
        const unit = UNIT_BEFORE.exec(lead);
        add(unit ? m.index - lead.length + unit.index + unit[0].indexOf(unit[1]!) : m.index, m.index + m[0].length);
      }
      for (let m = hits.exec(PO_BOX_RULE, 0); m; m = hits.exec(PO_BOX_RULE, m.index + m[0].length)) add(m.index, m.index + m[0].length);
      for (let m = hits.exec(ZIP_LABEL_RULE, 0); m; m = hits.exec(ZIP_LABEL_RULE, m.index + m[0].length)) add(m.index + m[0].length - m.groups!.zip!.length, m.index + m[0].length);
      for (let m = hits.exec(REGION_CODE_RULE, 0), from = 0; m; m = hits.exec(REGION_CODE_RULE, from)) {
        from = m.index + m[0].length;
        const { region, code } = m.groups as { region: string; code: string };
        const fits = /^\d{5}/.test(code) ? US_STATES.has(region) : /^\d{4}$/.test(code) ? AU_STATES.has(region) : CA_PROVINCES.has(region);
        if (!fits) {
          from = m.index + 1;
          continue;
        }
        const lead = before(text, m.index, 64);
        const t = TOWN_AT_END.exec(lead);
        if (!t) continue;
        const start = m.index - lead.length + t.index;
        add(start, start + t.groups!.town!.length);
        add(m.index + m[0].length - code.length, m.index + m[0].length);
      }
      for (let m = hits.exec(POSTCODE_RULE, 0); m; m = hits.exec(POSTCODE_RULE, m.index + m[0].length)) {
        const lead = before(text, m.index, 60, 1);
        const t = TOWN_BEFORE.exec(lead);
        // An Eircode's shape is common in codes: without a town before it, only a personal document vouches for it.
        if (m.groups!.ie !== undefined && !t) {
          found.push({ type: 'ADDRESS', start: m.index, end: m.index + m[0].length, kind: 'weak' });
          continue;
        }
        add(m.index, m.index + m[0].length);
        if (t && !LABEL_WORDS.test(t.groups!.town!.split(/[ \t]/)[0]!)) {
          const start = m.index - lead.length + t.index + t[0].indexOf(t.groups!.town!);
          add(start, start + t.groups!.town!.length);
        }
      }
    }
    // A town from the list before a bare postcode (New Zealand, India, Australia without a state).
    if (/\d{4}/.test(text)) {
      const { towns } = lexicon();
      BARE_POSTCODE.lastIndex = 0;
      for (let m = BARE_POSTCODE.exec(text); m; m = BARE_POSTCODE.exec(text)) {
        // a town's last character just before (past spaces and a dash), or no town: most numbers have none
        let p = spacesBack(text, m.index);
        if (p > 0 && (text.charCodeAt(p - 1) === 45 || text.charCodeAt(p - 1) === 0x2013)) p = spacesBack(text, p - 1);
        if (p === 0 || !TOWN_END.test(text[p - 1]!)) continue;
        const lead = before(text, m.index, 48);
        const t = TOWN_BEFORE_CODE.exec(lead);
        if (!t) continue;
        const words = t[1]!.split(/[ \t]/);
        // the last words that make a town: "Karori, Wellington 6012" reads "Wellington"
        let town = '';
        for (let k = 0; k < words.length && !town; k++) if (towns.has(words.slice(k).join(' '))) town = words.slice(k).join(' ');
        if (!town) continue;
        const start = m.index - lead.length + t.index + t[1]!.length - town.length;
        add(start, start + town.length);
        add(m.index, m.index + m[0].length);
      }
    }
    // The lines and segments before a town or postcode, back to where the address starts:
    // "Apartment 18, Ard na Gréine House, Tralee, Co. Kerry, V92 R78P".
    for (const f of [...found]) {
      // from a town or a postcode of letters (not from a ZIP, whose state stays)
      if (f.kind !== undefined || !/^\p{L}/u.test(text.slice(f.start, f.start + 1))) continue;
      let p = f.start;
      for (let n = 0; n < 4; n++) {
        const lead = before(text, p, 80, 1);
        const seg = SEGMENT_BEFORE.exec(lead);
        if (!seg || seg[1]!.length === 0) break;
        const segStart = p - lead.length + seg.index + seg[0].indexOf(seg[1]!);
        const first = seg[1]!.split(/[ \t]/)[0]!.replace(/[.:]$/, '');
        if (LABEL_WORDS.test(first) || segStart >= p) break;
        if (found.some((o) => o.start <= segStart && segStart < o.end)) break;
        add(segStart, segStart + seg[1]!.length);
        p = segStart;
      }
    }
    // The towns, counties and postcodes after each street line or labelled address belong to it.
    const blocks: { at: number; label: boolean; weak: boolean }[] = found.filter((f) => f.kind === undefined).map((f) => ({ at: f.end, label: false, weak: false }));
    for (let m = hits.exec(ADDRESS_LABEL_RULE, 0); m; m = hits.exec(ADDRESS_LABEL_RULE, m.index + m[0].length)) {
      // only at a line's start, after spaces
      const p = spacesBack(text, m.index);
      if (p === 0 || text.charCodeAt(p - 1) === 10) blocks.push({ at: m.index + m[0].length, label: true, weak: false });
    }
    for (const [lineStart] of streets) {
      STREET_LINE.lastIndex = lineStart;
      const m = STREET_LINE.exec(text);
      if (!m) continue;
      const start = m.index + m[0].length - m[0].trimStart().length;
      found.push({ type: 'ADDRESS', start, end: m.index + m[0].length, kind: 'weak' });
      blocks.push({ at: m.index + m[0].length, label: false, weak: true });
    }
    for (const block of blocks) {
      // A labelled address starts with its first segment; a street line is followed by one.
      let p = block.at;
      let first = block.label;
      for (let n = 0; n < 6; n++) {
        if (!first) {
          SEGMENT_GAP.lastIndex = p;
          const gap = SEGMENT_GAP.exec(text);
          if (!gap || /\n[ \t]*\n/.test(gap[0])) break;
          p = SEGMENT_GAP.lastIndex;
        }
        first = false;
        SEGMENT.lastIndex = p;
        const seg = SEGMENT.exec(text);
        if (!seg || LABEL_WORDS.test(seg[0].split(/[ \t]/)[0]!.replace(/[.:]$/, '')) || text[SEGMENT.lastIndex] === ':') break;
        found.push(block.weak ? { type: 'ADDRESS', start: p, end: SEGMENT.lastIndex, kind: 'weak' } : { type: 'ADDRESS', start: p, end: SEGMENT.lastIndex });
        p = SEGMENT.lastIndex;
      }
    }
    if (found.length === 0) return;
    // An organisation's address (its name above, or a contact label after it) is a public contact.
    for (const s of found) if (s.kind === undefined && organisationNear(text, s.start, s.end)) s.kind = 'org';
    out.push(...found);
  },
  findWeak(text, out, doc) {
    // Towns named in running text: weak (a document about a person loses them; a public page keeps "a study in London").
    const { towns } = lexicon();
    const hits = wordHits(text, doc);
    // (on from the capital, not after it: "Hospital, York" after "at" starts a match of its own)
    for (let h = hits.exec(TOWN_START_RULE, 0); h; h = hits.exec(TOWN_START_RULE, h.index + h[0].length - 1)) {
      const start = h.index + h[0].length - 1;
      TOWN_WORDS.lastIndex = start;
      const m = TOWN_WORDS.exec(text);
      if (!m) continue;
      // the longest run of its words that is a town: "Sandy Bay", "Ann Arbor", then "Luton"
      const words = m[0].split(/[ \t]/);
      for (let n = words.length; n >= 1; n--) {
        const town = words.slice(0, n).join(' ').replace(/[.'’]+$/, '');
        const end = start + town.length;
        if (!towns.has(town) || CITATION_AFTER.test(text.slice(end, end + 40)) || /^[ \t]+\p{Lu}{1,3}[ \t]+et[ \t]+al/u.test(text.slice(end, end + 12)) || eponymAfter(text, end, true) || /^[ \t]+\p{Lu}[.,]/u.test(text.slice(end, end + 4))) continue;
        out.push({ type: 'ADDRESS', start, end, kind: 'weak' });
        break;
      }
    }
  },
};
