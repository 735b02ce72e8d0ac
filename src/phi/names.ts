import { before, spacesBack, spacesOn } from './context.js';
import { lexicon, type Lexicon } from './lexicon.js';
import type { Detector, DocState, PhiSpan } from './span.js';
import { TRIGGERS, wordHits, WordStarts } from './triggers.js';

/**
 * NAME: people's names (patients, relatives, clinicians), by dictionaries plus context, in the spirit
 * of Philter: a capitalised word in a place where names stand is a name, whether or not any list
 * knows it, and a known first name followed by a surname-like word is a name anywhere.
 *
 * Where names stand (the context decides; the name itself need not be in any list):
 *  - after a title: Mr, Mrs, Ms, Miss, Dr, Prof, Sister, Nurse ... ("Dr <NAME>": the title stays);
 *  - after a field label at the start of a line: Patient, Name, Pt, Attending, Consultant, GP,
 *    Referring/Ordering Physician, Seen/Dictated/Signed/Verified by, cc, Next of kin, From, To ...,
 *    including "Last, First" and all-capital "LAST, FIRST" header forms;
 *  - after a salutation (Dear, Hi, Hello ...) or a closing (Thanks, Regards, Yours sincerely, Love ...),
 *    on its line or the next one: the signature;
 *  - after a relation: "my husband John", "his daughter, Mary", "Daughter Hoa Patel visited";
 *  - after "my name is", "I'm", "this is", "patient" ..., when the word
 *    is not a common English word or is a known first name ("I'm tired" is not a name).
 * Anywhere: a first name from the lists followed by a capitalised word ("Rebecca Green"), unless the
 * pair names a disease, sign or test ("Charles Bonnet syndrome"), an organisation ("Howard Hughes
 * Medical Institute") or a place.
 * Then every other occurrence in the document of a word found in a name (Capitalised or CAPITALS) is
 * redacted too, unless it is a common English word ("Mr Patel ... Patel's" both go; "Will" only
 * where a context makes it a name).
 *
 * Not names: eponyms ("Parkinson disease", "Crohn's"), people named as the discoverers of a thing
 * ("first described by Dr Alois Alzheimer"), and authors in citations ("Smith J, Patel R. N Engl J
 * Med"), which no context above matches.
 */

// A capitalised word (with O'Name, McName, Smith-Jones, accents), or initials "J." / "J.R.".
const WORD = /(?:\p{Lu}[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)?(?:['’]\p{Lu}?[\p{Ll}\p{M}]+|-\p{Lu}?[\p{Ll}\p{M}]+|-\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+)*|\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+)(?:['’]s?)?(?![\p{L}\p{N}@_]|-\p{Ll})|\p{Lu}\.(?:[ \t]?\p{Lu}\.)*|\p{Lu}(?=[ \t]+\p{Lu}[\p{Ll}\p{M}])/uy;
const UPPER_WORD = /(?:\p{Lu}{2,}(?:['’-]\p{Lu}+)*|\p{Lu}['’]\p{Lu}{2,})(?![\p{L}\p{N}@_.])/uy;
const PARTICLE = /(?:(?:van|von|der|den|de|dela|del|della|da|di|du|le|la|bin|binti|ibn|ni|nic|al|el|ter|ten|dos|das|do|mac|ap|ó)[ \t]+){1,3}/y;
const SPACES = /[ \t]*/y;
/** The spaces between two words of a name, on one line. */
const GAP = /[ \t]+/y;
/** A middle initial after a given name: " A", " A.". */
const MIDDLE_INITIAL = /[ \t]+\p{Lu}\.?(?![\p{L}])/uy;
const PARTICLES = new Set('van von der den de del della da di du le la bin ibn ni nic al el ter ten dos das mac st'.split(' '));
const TITLE_AT = /(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Rev|Revd)\.?[ \t]+/y;

/** Capitalised words that are never part of a name: header words, months, days, organisations, credentials. */
const STOP = new Set(
  (
    'the a an and or of in on at to for with by from is was are be this that these those it its he she his her they them their we our you your i my me ' +
    'january february march september october november december feb mar apr jul aug sep sept oct nov dec ' +
    'monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun today yesterday tomorrow ' +
    'hospital clinic centre center medical health surgery practice university institute foundation department unit trust service services ' +
    'street road avenue lane drive court place way close crescent terrace boulevard ' +
    'age dob sex gender mrn nhs tel phone fax email e-mail address date re subject patient name bed room floor ' +
    'md do rn np pa phd mbbs mbchb frcp frcs mrcp mrcgp gp bms mls dds dmd lpn cna facp facs mph msc bsc ba ma jr sr ii iii iv esq ' +
    'consultant physician nurse doctor dr mr mrs ms miss prof professor sister ' +
    'sir madam colleague colleagues team all everyone everybody friends friend family member members reader readers editor customer parent parents ' +
    'yes no not none ok okay thanks thank please hi hello dear regards best love cheers sincerely yours faithfully ' +
    'north south east west new old st saint mount fort port lake'
  ).split(' '),
);
/** Nouns that, after a name, make the phrase an eponym (a disease, sign, test), an organisation or a place. */
const HEADS = new Set(
  (
    'disease diseases syndrome syndromes disorder palsy sign signs test procedure operation reflex phenomenon lymphoma sarcoma tumor tumour tumors tumours ' +
    'carcinoma anemia anaemia ataxia dystrophy thyroiditis esophagus oesophagus ulcer fracture law scale score classification criteria maneuver manoeuvre ' +
    'triad cell cells gland duct area body bodies node nodes hernia cyst fever virus bacillus encephalopathy neuroma nevus angina paralysis chorea ' +
    'dementia equation index method technique incision approach stain solution type factor pupil deficiency anomaly malformation sequence complex ' +
    'hospital clinic center centre institute foundation university college school medical memorial health trust society association street st road ' +
    'rd avenue ave lane drive county city park house award prize fund fellowship lecture building hall library program programme study trial project ' +
    'database registry island islands river mountains valley bay coast state states'
  ).split(' '),
);
const MEDICAL_SUFFIX = /(?:osis|itis|emia|aemia|omas?|pathy|plasia|trophy|algia|ectomy|otomy|ostomy|plasty|scopy|graphy|uria|penia|cytosis|philia|plegia|paresis|rrhoea|rrhea|megaly|lysis|genesis|dactyly|cephaly|somy)$/;
/** A word with a medical suffix ("lymphoma", "diarrhea") that no name list knows ("Thomas" ends like "-omas"). */
function medicalWord(lower: string, lex: Lexicon): boolean {
  return MEDICAL_SUFFIX.test(lower) && !lex.firstNames.has(lower) && !lex.surnames.has(lower);
}
/** Words that end an eponym chain: a verb or function word after a name makes it a person's. */
const FUNCTION_WORDS = new Set(
  'is was are were be been has had have with and or but the a an of in on at to for by from who which that this will would can could may might should did does do not no he she his her they their reports reported said says presented underwent'.split(' '),
);
const CHAIN_WORD = /[ \t]*(?:-[ \t]*)?([\p{L}][\p{L}\p{M}'’-]*)/uy;

/**
 * Whether the words after a name make it part of something else: a head noun (syndrome, disease,
 * institute, street ...) next (`chain` false), or after up to four more words that are capitalised
 * or descriptive (`chain`: "Chang Davidson Carlson syndrome", "Lambert Eaton myasthenic syndrome").
 */
export function eponymAfter(text: string, end: number, chain: boolean): boolean {
  let p = end;
  const possessive = /['’]s?/y;
  possessive.lastIndex = p;
  if (possessive.exec(text)) p = possessive.lastIndex;
  for (let n = 0; n < (chain ? 5 : 1); n++) {
    CHAIN_WORD.lastIndex = p;
    const m = CHAIN_WORD.exec(text);
    if (!m || (n === 0 && !/^(?: [^ \t]|-)/.test(text.slice(p, p + 2)))) return false;
    const w = m[1]!.replace(/['’]s?$/, '');
    const lower = w.toLowerCase();
    if (HEADS.has(lower) || medicalWord(lower, lexicon())) return true;
    if (FUNCTION_WORDS.has(lower)) return false;
    p = CHAIN_WORD.lastIndex;
  }
  return false;
}

/** An author in a citation: "Smith J,", "Smith et al.", "Smith and Jones, 2019". */
export const CITATION_AFTER = /^(?:[ \t]+(?:et[ \t]+al|and[ \t]+colleagues)|[ \t]+\p{Lu}{1,2}\.?[,.;]|,?[ \t]+(?:and|&)[ \t]+\p{Lu}[\p{Ll}]+,?[ \t]+\(?(?:19|20)\d\d|,?[ \t]+\(?(?:19|20)\d\d\)?[;,)])/u;
/** Before a context: the person is named as a discoverer, not as someone's patient or doctor. */
const HISTORICAL = /\b(?:described|discovered|named|identified|reported|pioneered|developed|introduced|proposed|coined|invented|after)\b[^.\n]{0,30}$/i;

const FIELD_LABELS =
  "patient(?:'s)?(?:[ \\t]+(?:full[ \\t]+)?name)?|pt(?:[ \\t]+name)?|name|full[ \\t]+name|surname|last[ \\t]+name|first[ \\t]+name|given[ \\t]+names?|forenames?(?:\\(s\\))?|attending(?:[ \\t]+(?:physician|doctor|consultant))?|physician|doctor|consultant|surgeon|anaesthetist|anesthesiologist|provider|gp|pcp|primary[ \\t]+care(?:[ \\t]+(?:physician|provider|doctor))?|referring(?:[ \\t]+(?:physician|doctor|clinician|provider|gp))?|referrer|ordering(?:[ \\t]+(?:physician|provider|clinician|doctor))?|requested[ \\t]+by|requesting(?:[ \\t]+(?:physician|clinician|doctor))?|signed|signature|sign|(?:seen|dictated|signed|electronically[ \\t]+signed|verified|reviewed|authori[sz]ed|reported|transcribed|prepared|written|examined|admitted|discharged|treated|typed)[ \\t]+by|author|cc|copy[ \\t]+to|copies[ \\t]+to|next[ \\t]+of[ \\t]+kin|nok|emergency[ \\t]+contact|contact(?:[ \\t]+person)?|guardian|mother|father|spouse|husband|wife|partner|parent|carer|caregiver|from|to|attn|attention|nurse|rn|therapist|pharmacist|midwife|resident|intern|fellow|witness|interpreter|informant|accompanied[ \\t]+by|escort|clinician|practitioner|specialist|registrar|sho|fy1|fy2|student|chaperone|responsible[ \\t]+clinician|key[ \\t]+worker|social[ \\t]+worker|case[ \\t]+manager|member[ \\t]+name|subscriber(?:[ \\t]+name)?|insured|policy[ \\t]*holder|client|resident[ \\t]+name|deceased|decedent|mrs|mr|member|client|secretary|dispensed[ \\t]+by|[a-z]{3,}ed[ \\t]+by|completed[ \\t]+by|contact[ \\t]+name|parent[ \\t]*\\/[ \\t]*guardian";
const LABEL = new RegExp(`[ \\t]*(?:${FIELD_LABELS})[ \\t]*(?:[:#=-][ \\t]*(?:_{2,}[ \\t]*)?["(]?[ \\t]*|\\n[ \\t]*)`, 'iy');
/** A role before a name on a line of its own, no colon: "RN Albert". */
const LABEL_SPACE = /[ \t]*(?:rn|rgn|rmn|np|pa|hca|gp|sn|cn|ccn|fy1|fy2|sho|spr|reg)[ \t]+/iy;
/** Mid-line "Label:" takes only labels that are not ordinary words before a colon ("limited to: Use"). */
const INLINE_LABELS = FIELD_LABELS.split('|').filter((l) => !/^(?:to|from|cc|attn|attention|contact.*|author|student|resident|fellow|client|insured|nurse|rn|sign|signature|signed|provider|physician|doctor|specialist|practitioner|clinician|name)$/.test(l)).join('|');
/** A label just before a colon (tested at each colon, backwards). */
const LABEL_BEFORE_COLON = new RegExp(`\\b(?:${INLINE_LABELS})[ \\t]*$`, 'i');
/**
 * The words such a label can start with: each label's but "...ed by" (its first word is any word),
 * which is looked for by its "by". A colon with neither before it on its line is passed over
 * without the expression, which tries every place of the 40 characters before it.
 */
const ED_BY = '[a-z]{3,}ed[ \\t]+by';
const INLINE_LABEL_WORDS = new WordStarts(new RegExp(`\\b(?:${INLINE_LABELS.split('|').filter((l) => l !== ED_BY).join('|')})`, 'i'));
const BY_BEFORE = /by[ \t]*$/i;
const INLINE_LABEL_CONTEXT: Context = { rule: 'label', accept: 'unusual', lastFirst: true, weak: false };
const SALUTATION = /[ \t]*(?:dear|hi|hello|hey|hiya|morning|good[ \t]+(?:morning|afternoon|evening)|greetings)[ \t,]+/iy;
const CLOSING =
  /[ \t]*(?:thanks(?:[ \t]+(?:again|so much|a lot|for[ \t]+[a-z]+(?:[ \t]+[a-z]+)?))?|thank[ \t]+you(?:[ \t]+(?:so much|again))?|many[ \t]+thanks|cheers|regards|best(?:[ \t]+(?:regards|wishes))?|kind(?:est)?[ \t]+regards|warm(?:est)?[ \t]+regards|with[ \t]+(?:thanks|love|best wishes)|love|lots[ \t]+of[ \t]+love|yours(?:[ \t]+(?:sincerely|faithfully|truly))?|sincerely|take[ \t]+care|all[ \t]+the[ \t]+best|respectfully|warmly)[ \t]*[,.!]?[ \t]*(?:x{1,3}(?=[ \t]*(?:\n|$))[ \t]*)?(?:\n[ \t]*){0,3}/iy;
/** "- Rebecca", "x Sue" as the last line of a text. */
const DASH_SIGNATURE = /[ \t]*(?:x{1,3}|-{1,2}|—|–)[ \t]*(?=[^\n]{1,60}\s*$)/iy;
const RELATIONS =
  'husband|wife|son|daughter|mother|mum|mom|mam|mommy|mummy|father|dad|daddy|brother|sister|partner|boyfriend|girlfriend|fianc[eé]e?|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|granny|grandad|nana|nan|grandchild|uncle|aunt|auntie|nephew|niece|cousin|friend|neighbou?r|carer|caregiver|child|baby|twin|stepson|stepdaughter|stepmother|stepfather|stepmom|stepdad|spouse|in-law|guardian|GP|doctor|consultant|nurse|surgeon|oncologist|cardiologist|neurologist|specialist|physio|therapist|midwife|secretary|colleague|flatmate|housemate|landlord|landlady|boss|manager|case[ \t]+manager|key[ \t]+worker|social[ \t]+worker|specialist[ \t]+nurse|district[ \t]+nurse|health[ \t]+visitor|daughter-in-law|son-in-law|grand-daughter|grand-son|carer';
const RELATION = String.raw`\b(?:${RELATIONS})(?:[ \t]*,[ \t]*|[ \t]+(?:is[ \t]+|was[ \t]+|called[ \t]+|named[ \t]+)?)`;
/** A relation with the name in brackets: "granddaughter (Sunita Fernando, ...)", "brother (Santiago)". */
const RELATION_BRACKET = String.raw`\b(?:${RELATIONS})[ \t]*\([ \t]*`;
/** A relation word starting a sentence or line (checked in code): "Daughter Hoa Patel visited". */
const RELATION_START = String.raw`\b(?:${RELATIONS.split('|').map((r) => r[0]!.toUpperCase() + r.slice(1)).join('|')})[ \t]+`;
const SELF = String.raw`\b(?:my[ \t]+name[ \t]+is|my[ \t]+name's|i[ \t]+am|i'm|i’m|this[ \t]+is|it's|call[ \t]+me)[ \t]+`;
/** After a verb of contact: a name of two words or more, or a known one ("telephoned to Ciaran Walsh"; not "treated with Rituximab"). */
const BY = String.raw`\b(?:seen|reviewed|examined|assessed|referred|discussed|spoke|spoken|met|visited|accompanied|operated|signed|dictated|verified|transcribed|copied|informed|contacted|consented|called|phoned|telephoned|rang|emailed|e-mailed|texted|paged|bleeped|handed[ \t]+over|reported|relayed|escalated)[ \t]+(?:by|with|to|on)[ \t]+`;
/** Thanks to a person: "Massive thanks to Huda Hamdan". */
const THANKS = String.raw`\b(?:thanks|thank[ \t]+you|grateful|gratitude|shout[ \t-]*out)[ \t]+(?:so[ \t]+much[ \t]+)?to[ \t]+`;
/** A role before a name, no possessive: "cardiac physiologist Y. Dubois", "technician Sam Lee". */
const ROLE = String.raw`\b(?:physiologist|technician|technologist|radiographer|sonographer|phlebotomist|pharmacist|physiotherapist|physio|therapist|dietitian|paramedic|porter|interpreter|chaplain|midwife|registrar|resident|intern|houseman|locum|anaesthetist|anesthesiologist|surgeon|consultant|nurse|sister|matron|receptionist|secretary|coordinator|practitioner|clinician|counsellor|counselor|psychologist|optometrist|dentist|hygienist|podiatrist|audiologist)[ \t]+`;
/** A name followed by an age: "Kirsty Moody, an 18-year-old woman". */
const NAME_BEFORE_AGE = /(?:^|[.\n]|\b(?:and|with|of)[ \t])[ \t]*((?:\p{Lu}\.[ \t]?)?\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*(?:[ \t]+\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*){1,2}),[ \t]+(?:a|an)[ \t]+(?:\d{1,3}|[a-z]+(?:-[a-z]+)?)[ \t-]*(?:years?|yr)[ \t-]*old/gu;
const PATIENT = String.raw`\b(?:patient|pt\.?|client|mr\.?[ \t]+and[ \t]+mrs\.?)[ \t]+`;
/** Social titles: in public health writing people are named without them, so they mark a personal document. */
const SOCIAL_TITLE = String.raw`\b(?:Mr|Mrs|Ms|Miss|Mx|Mister|Madam)\.?[ \t]+`;
/** Professional titles: public writing names researchers and clinicians with them ("led by Dr Daniel Kastner"). */
const TITLE = String.raw`\b(?:Dr|Drs|Prof|Professor|Rev|Revd|Fr|Dame|Sir|Lady|Lord|Capt|Captain|Judge)\.?[ \t]+`;
/** Titles that are also words ("Sister", "Nurse"): only before a known first name or a word that is not a common one. */
const WORD_TITLE = String.raw`\b(?:Sister|Nurse|Matron|Midwife)[ \t]+`;
/** A capitalised word that may be a first name (no capitals after its first letter). */
// The first-name lists are ASCII (a test holds them to it), so the name itself is read in ASCII
// letters, three times faster than \p{Lu}\p{Ll}+; what stands around it is read in any script.
const FIRST_CANDIDATE = /[A-Z](?<![\p{L}\p{M}'’-][A-Z])[a-z]+(?=[ \t]+(?:\p{Lu}\.?[ \t]+)?\p{Lu})/gu;
/** After a first name, on its line: an optional middle initial, then a capitalised word (group 2). */
const NEXT_WORD = /[ \t]+(\p{Lu}\.?[ \t]+)?(\p{Lu}[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)?(?:['’]\p{Lu}?[\p{Ll}\p{M}]+|-\p{Lu}[\p{Ll}\p{M}]+)*|\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+)(?:['’]s?)?(?![\p{L}\p{M}\p{N}@_]|-\p{Ll})/uy;
const LETTER = /[\p{L}\p{M}]/u;


/**
 * Credentials and roles after a name: "Poppy Wells MBChB FRANZCR", "C. Agyeman-Perry, RN",
 * "Eamon (phlebotomist)", "Dafydd E. (RGN)". The name is read backwards from them, on their line.
 */
const CREDENTIAL = /\b(?:M\.?D\.?|D\.?O\.?|RN|RGN|RMN|RSCN|EN|LPN|LVN|NP|PA-C|MBChB|MB[ \t]?ChB|MBBS|MB[ \t]?BS|BM[ \t]?BCh|BMBS|FRCP|FRCS|FRCSEd|MRCP|MRCS|MRCGP|FRACP|FRACS|FRANZCR|FRNZCGP|FRCPath|FRCR|FRCPC|FACP|FACS|PhD|Ph\.D\.|PharmD|BPharm|MPharm|DDS|DMD|BMS|MLS|CNS|CNM|APRN|FNP|DNP|MSN|BSN|DPM|LCSW|MSW|HCA|phlebotomist|midwife|physiotherapist|pharmacist|dietitian|paramedic|radiographer|sonographer|registrar|consultant)\b/g;
const CREDENTIAL_RULE = TRIGGERS.add(CREDENTIAL);
/** What stands between a name and its credential: ", ", " ", " (". */
const CREDENTIAL_SEPARATOR = /(?:,[ \t]*|[ \t]+\(?|\()$/;
const NAME_BEFORE = /(?:^|[^\p{L}\p{M}'’.-])((?:\p{Lu}\.[ \t]?){0,3}\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*(?:[ \t]+(?:\p{Lu}\.[ \t]?|\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*)){0,3}|(?:\p{Lu}\.[ \t]?){1,3}\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{Lu}?[\p{Ll}\p{M}]+)*)$/u;
/** A time then a dash, then a name: "8/4/2018 07:39 — C. Agyeman-Perry". */
const TIME_DASH = String.raw`\b\d{1,2}:\d{2}(?::\d{2})?[ \t]*[—–-][ \t]*`;
/** The labels CAPS_BEFORE_ID looks for, as a word scan's rule: where none stands, no name is read before one. */
const ID_LABEL_RULE = TRIGGERS.add(/\b(?:DOB|D\.O\.B|Date of birth|born|NHS|NHI|MRN|MR#|Hosp|Unit No|CHI)\b/g);
/** A name in capitals before a date of birth or a record label: "KATHERINE WALKER  DOB 08.10.1948". */
const CAPS_BEFORE_ID = /(?<![\p{L}])(\p{Lu}{2,}(?:['’-]\p{Lu}+)*(?:[ \t]+\p{Lu}{2,}(?:['’-]\p{Lu}+)*){1,3})(?=[ \t,]+(?:DOB|D\.O\.B|Date of birth|born|NHS|NHI|MRN|MR#|Hosp|Unit No|CHI)\b)/gu;
/** "ANDERSON, Angela A" starting a line: a header's name with no label. */
const LINE_LAST_FIRST = /(?=\p{Lu}{2,}[\p{Lu}'’-]*,[ \t]*\p{Lu})/uy;

interface Context {
  rule: string;
  accept: Accept;
  lastFirst: boolean;
  /** Only counts in a document something else marks as personal. */
  weak: boolean;
  /** Skipped after "described by", "named after" ...: a discoverer, not a patient. */
  historical?: boolean;
  /** Only at the start of a sentence or line. */
  sentenceStart?: boolean;
  /** Only after a possessive: "my", "his", "the patient's" (and "late", "older" ...). */
  possessive?: boolean;
}
/** Contexts at the start of a line, tried there alone (sticky), not at every character. */
const LINE_CONTEXTS: (Context & { re: RegExp; blankLineBefore?: boolean })[] = [
  { rule: 'label', re: LABEL, accept: 'any', lastFirst: true, weak: false },
  { rule: 'label', re: LABEL_SPACE, accept: 'unusual', lastFirst: false, weak: true },
  { rule: 'salutation', re: SALUTATION, accept: 'any', lastFirst: false, weak: false },
  { rule: 'closing', re: CLOSING, accept: 'unusual', lastFirst: false, weak: false },
  { rule: 'signature', re: DASH_SIGNATURE, accept: 'unusual', lastFirst: false, weak: false, blankLineBefore: true },
];
/** Contexts anywhere, as one regular expression each for case-blind and case-true words: one pass over the text. */
const INLINE: [Context, string][] = [
  [{ rule: 'relation', accept: 'unusual', lastFirst: false, weak: false }, RELATION_BRACKET],
  [{ rule: 'relation', accept: 'unusual', lastFirst: false, weak: false, possessive: true }, RELATION],
  [{ rule: 'thanks', accept: 'pair', lastFirst: false, weak: true }, THANKS],
  [{ rule: 'self', accept: 'unusual', lastFirst: false, weak: false }, SELF],
  [{ rule: 'by', accept: 'pair', lastFirst: false, weak: true, historical: true }, BY],
  [{ rule: 'patient', accept: 'known', lastFirst: false, weak: false }, PATIENT],
  [{ rule: 'role', accept: 'pair', lastFirst: false, weak: true }, ROLE],
];
const CASED: [Context, string][] = [
  [{ rule: 'social title', accept: 'any', lastFirst: false, weak: false }, SOCIAL_TITLE],
  [{ rule: 'title', accept: 'any', lastFirst: false, weak: true, historical: true }, TITLE],
  [{ rule: 'title', accept: 'unusual', lastFirst: false, weak: true, historical: true }, WORD_TITLE],
  [{ rule: 'relation', accept: 'unusual', lastFirst: false, weak: false, sentenceStart: true }, RELATION_START],
];
/** A time and a dash, then a name: tried at each colon after a digit (names.find). */
const TIMED_CONTEXT: Context = { rule: 'time', accept: 'unusual', lastFirst: false, weak: true };
const TIME_DASH_AT = new RegExp(TIME_DASH, 'y');
const combined = (contexts: [Context, string][], flags: string) => new RegExp(contexts.map(([, source], i) => `(?<c${i}>${source})`).join('|'), flags);
/** The line-start contexts as one sticky expression: one try per line. */
const LINE_RE = combined(LINE_CONTEXTS.map((c) => [c, c.re.source]), 'iy');
/**
 * The words a line-start context starts with (all but the dash signature's "x" and the label
 * "...ed by", whose first word is any word): a line that starts with none of them, an "x" or a word
 * ending in "ed" is not tried, and most lines are not. (Not on the shared scan: "to", "with" and
 * "all" stand everywhere, and only a line's first word is asked.)
 */
const LINE_WORDS = new WordStarts(
  new RegExp(`\\b(?:${[LABEL, LABEL_SPACE, SALUTATION, CLOSING].map((re) => re.source.replace(/^\[ \\t\]\*/, '').replace(`|${ED_BY}`, '')).join('|')})`, 'i'),
);
/**
 * Contexts found anywhere: one alternation behind one \b (every source starts with \b), then the
 * first context that matches there, tried alone, says which it was, as the alternation would.
 */
function anywhere(contexts: [Context, string][], flags: string, scan = contexts.map(([, source]) => source)) {
  const re = new RegExp(`\\b(?:${scan.map((source) => source.replace(/^\\b/, '')).join('|')})`, flags);
  const each = contexts.map(([c, source]) => ({ c, re: new RegExp(source, `${flags.replace('g', '')}y`) }));
  return { re, each };
}
// The two relation contexts share their words: the scan looks for them once.
const INLINE_RE = anywhere(INLINE, 'gi', [String.raw`\b(?:${RELATIONS})(?=[ \t]*[(,]|[ \t])`, ...INLINE.slice(2).map(([, source]) => source)]);
const CASED_RE = anywhere(CASED, 'g');
const INLINE_RULE = TRIGGERS.add(INLINE_RE.re);
const CASED_RULE = TRIGGERS.add(CASED_RE.re);
const POSSESSIVE_BEFORE = /(?:\b(?:my|his|her|their|our|your)|\w['’]s)[ \t]+(?:[a-z-]+[ \t]+){0,2}$/i;
const SENTENCE_START = /(?:^[ \t]*|[.!?;—–-][ \t]+)$/;

interface Phrase {
  start: number;
  end: number;
  words: string[];
}

/** Which first words a context takes: any capitalised word, one that is not a common word (or is a first name), or one the lists know as a name. */
type Accept = 'any' | 'unusual' | 'known' | 'first' | 'pair';

/**
 * The name that starts at `at` (after spaces, and a title when `title`): up to four words on one
 * line, particles between them ("van der Berg"), a middle initial; or, with `lastFirst`, "Last, First"
 * and "LAST, FIRST". `accept: 'unusual'` refuses a first word that is a common English word and not a
 * known first name, or a surname when it stands alone.
 */
function phraseAt(text: string, at: number, lex: Lexicon, accept: Accept, lastFirst: boolean): Phrase | undefined {
  SPACES.lastIndex = at;
  SPACES.exec(text);
  let p = SPACES.lastIndex;
  TITLE_AT.lastIndex = p;
  if (TITLE_AT.exec(text)) p = TITLE_AT.lastIndex;
  const start = p;
  const words: string[] = [];
  let end = p;
  const upper = (() => {
    UPPER_WORD.lastIndex = p;
    const m = UPPER_WORD.exec(text);
    return m && !STOP.has(m[0].toLowerCase()) && !/\p{Ll}/u.test(text.slice(p, p + m[0].length)) ? m[0] : undefined;
  })();
  if (lastFirst && upper) {
    // "SMITH, JOHN" (mixed case is read below)
    const re = UPPER_WORD;
    re.lastIndex = p;
    const last = re.exec(text);
    if (last && text[re.lastIndex] === ',') {
      SPACES.lastIndex = re.lastIndex + 1;
      SPACES.exec(text);
      re.lastIndex = SPACES.lastIndex;
      let first = re.exec(text);
      if (!first) {
        // "PEMBERTON, Pauline"
        WORD.lastIndex = SPACES.lastIndex;
        first = WORD.exec(text);
        if (first) re.lastIndex = WORD.lastIndex;
      }
      if (first && !STOP.has(first[0].toLowerCase()) && !STOP.has(last[0].toLowerCase())) {
        let e = re.lastIndex;
        // a middle initial
        MIDDLE_INITIAL.lastIndex = e;
        if (MIDDLE_INITIAL.exec(text)) e = MIDDLE_INITIAL.lastIndex;
        return { start, end: e, words: [last[0], first[0]] };
      }
    }
  }
  if (upper && upper.length >= 2) {
    // Capitals stand for names only in headers, where a label or title says so: elsewhere they are acronyms (CNS, CLL).
    if (accept !== 'any') return undefined;
    // A name in capitals after a label: "JOHN SMITH"
    let q = p;
    for (let n = 0; n < 4; n++) {
      UPPER_WORD.lastIndex = q;
      const m = UPPER_WORD.exec(text);
      if (!m || STOP.has(m[0].toLowerCase())) break;
      words.push(m[0]);
      end = UPPER_WORD.lastIndex;
      GAP.lastIndex = end;
      if (!GAP.exec(text)) break;
      q = GAP.lastIndex;
    }
    if (words.length === 0) return undefined;
    if (lastFirst && text[end] === ',') {
      // "VAN DER BERG, TUNDE"
      SPACES.lastIndex = end + 1;
      SPACES.exec(text);
      UPPER_WORD.lastIndex = SPACES.lastIndex;
      const first = UPPER_WORD.exec(text);
      if (first && !STOP.has(first[0].toLowerCase())) {
        words.push(first[0]);
        end = UPPER_WORD.lastIndex;
      }
    }
    return { start, end, words };
  }
  let q = p;
  for (let n = 0; n < 4; n++) {
    PARTICLE.lastIndex = q;
    if (PARTICLE.exec(text)) q = PARTICLE.lastIndex;
    WORD.lastIndex = q;
    const m = WORD.exec(text);
    if (!m) break;
    let w = m[0];
    let e = WORD.lastIndex;
    const possessive = /['’]s?$/.exec(w);
    if (possessive && w.length > possessive[0].length + 1) {
      w = w.slice(0, -possessive[0].length);
      e -= possessive[0].length;
    }
    const initial = /^\p{Lu}\.?$|^\p{Lu}\.(?:[ \t]?\p{Lu}\.)+$/u.test(w);
    if (!initial && STOP.has(w.toLowerCase())) break;
    if (/-\p{Ll}/u.test(w) && w.split('-').slice(1).some((part) => /^\p{Ll}/u.test(part) && part.length >= 4 && lex.common.has(part))) break;
    words.push(w);
    end = e;
    if (possessive) break;
    GAP.lastIndex = end;
    if (!GAP.exec(text)) break;
    q = GAP.lastIndex;
  }
  while (accept !== 'any' && words.length > 0 && /^\p{Lu}\.?$/u.test(words[words.length - 1]!)) {
    // a trailing initial is not a name's end: "Smith J" in a citation
    words.pop();
    end = start + text.slice(start, end).lastIndexOf(words[words.length - 1] ?? '') + (words[words.length - 1]?.length ?? 0);
  }
  if (words.length === 0) return undefined;
  if (lastFirst && text[end] === ',') {
    // "Ni Bhriain, Joaquin", "Smith, John A.": a given name after the comma
    SPACES.lastIndex = end + 1;
    SPACES.exec(text);
    WORD.lastIndex = SPACES.lastIndex;
    const first = WORD.exec(text);
    if (first && !STOP.has(first[0].toLowerCase()) && (lex.firstNames.has(first[0].toLowerCase()) || isNameWord(first[0], lex))) {
      words.push(first[0]);
      end = WORD.lastIndex;
      MIDDLE_INITIAL.lastIndex = end;
      if (MIDDLE_INITIAL.exec(text)) end = MIDDLE_INITIAL.lastIndex;
    }
  }
  // Names are not made of disease words: "Crohns Disease", "Diarrhea"
  if (words.some((w) => HEADS.has(w.toLowerCase()) || medicalWord(w.toLowerCase(), lex))) return undefined;
  const head = words[0]!.toLowerCase();
  if (accept === 'unusual' && !isNameWord(words[0]!, lex)) return undefined;
  // After a weak cue, a later word that is a common word and no name makes it a phrase, not a name ("Your Doctor May Ask").
  if (accept !== 'any' && words.slice(1).some((w) => /^\p{Lu}\p{Ll}/u.test(w) && lex.common.has(w.toLowerCase()) && !lex.frequentSurnames.has(w.toLowerCase()) && !lex.firstNames.has(w.toLowerCase()))) return undefined;
  if (accept === 'known' && ((!lex.firstNames.has(head) && !lex.surnames.has(head)) || lex.common.has(head))) return undefined;
  if (accept === 'first' && !lex.firstNames.has(head)) return undefined;
  if (accept === 'pair' && !(lex.firstNames.has(head) && !lex.common.has(head)) && !(words.length >= 2 && isNameWord(words[0]!, lex))) return undefined;
  if (eponymAfter(text, end, accept !== 'any')) return undefined;
  return { start, end, words };
}

/** A word that reads as a name where a name may stand: a known first name, or not a common word. */
function isNameWord(word: string, lex: Lexicon): boolean {
  const w = word.toLowerCase();
  return lex.firstNames.has(w) || (!lex.common.has(w) && !STOP.has(w));
}

/**
 * Records a name found, and its words for the document's other mentions: words of names found where
 * a label, title or relation says a name stands are looked for everywhere in the document; words
 * found by weaker cues only when the lists know them as names.
 */
function takeName(found: PhiSpan[], doc: DocState, lex: Lexicon, phrase: Phrase | undefined, strong: boolean, rule: string, weak: boolean): void {
  if (!phrase) return;
  found.push(weak ? { type: 'NAME', start: phrase.start, end: phrase.end, kind: 'weak', rule } : { type: 'NAME', start: phrase.start, end: phrase.end, rule });
  for (const w of phrase.words) {
    const lower = w.toLowerCase();
    if (w.length < 2 || /\.$/.test(w) || lex.common.has(lower) || STOP.has(lower)) continue;
    if (strong || lex.firstNames.has(lower) || lex.surnames.has(lower)) doc.nameWords.add(lower);
  }
}

/** Whether a label's word starts in `text` between `from` and `to` (at `from` whatever stands before it: the expression reads the lead alone). */
function labelWordIn(text: string, from: number, to: number): boolean {
  let afterWordChar = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const kind = c < 128 ? CHAR_KIND[c]! : 0;
    if (kind === 1 && !afterWordChar && INLINE_LABEL_WORDS.at(text, i)) return true;
    afterWordChar = kind !== 0;
  }
  return false;
}
/** Whether a line's first word, at `at`, may start a line-start context: an "x", a word of one, or a word ending in "ed" ("Countersigned by:"). */
function lineWord(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c === 120 || c === 88 || LINE_WORDS.at(text, at)) return true;
  let end = at;
  while (CHAR_KIND[text.charCodeAt(end)] === 1) end++;
  return end - at >= 5 && (text.charCodeAt(end - 2) | 32) === 101 && (text.charCodeAt(end - 1) | 32) === 100;
}
/** By code unit: 1 an ASCII letter, 2 a digit or "_" (\\w), 0 anything else. */
const CHAR_KIND = new Uint8Array(128).map((_, c) => (/[A-Za-z]/.test(String.fromCharCode(c)) ? 1 : /\w/.test(String.fromCharCode(c)) ? 2 : 0));

/** Whether "year(s) old" or "yr old" stands in the text, read on from each "year" and "yr" (an expression tries every "y"; "old" stands in "told" and "hold"). */
function yearsOld(text: string): boolean {
  for (const word of ['year', 'yr']) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      let end = at + word.length;
      if (word === 'year' && text.charCodeAt(end) === 115) end++;
      for (let c = text.charCodeAt(end); c === 32 || c === 9 || c === 45; c = text.charCodeAt(++end));
      if (text.startsWith('old', end)) return true;
    }
  }
  return false;
}

export const nameDetector: Detector = {
  name: 'names',
  types: ['NAME'],
  find(text, out, doc) {
    const lex = lexicon();
    const found: PhiSpan[] = [];
    const take = (phrase: Phrase | undefined, strong: boolean, rule: string, weak: boolean) => takeName(found, doc, lex, phrase, strong, rule, weak);
    const tryContext = (c: Context, at: number, matchStart: number) => {
      if (c.historical && HISTORICAL.test(before(text, matchStart, 48))) return;
      if (c.sentenceStart && !SENTENCE_START.test(before(text, matchStart, 4))) return;
      if (c.possessive && !POSSESSIVE_BEFORE.test(before(text, matchStart, 32))) return;
      take(phraseAt(text, at, lex, c.accept, c.lastFirst), c.accept === 'any', c.rule, c.weak);
    };
    const hits = wordHits(text, doc);
    const dispatch = (m: RegExpExecArray, each: typeof INLINE_RE.each) => {
      for (const x of each) {
        x.re.lastIndex = m.index;
        if (!x.re.test(text)) continue;
        tryContext(x.c, x.re.lastIndex, m.index);
        break;
      }
    };
    for (const [rule, each] of [[INLINE_RULE, INLINE_RE.each], [CASED_RULE, CASED_RE.each]] as const) {
      for (let m = hits.exec(rule, 0); m; m = hits.exec(rule, m.index + m[0].length)) dispatch(m, each);
    }
    // A time and a dash: every match has its colon second or third, after a digit. (As the
    // expression's global search finds them: tried from each place in turn, once, after the last match.)
    for (let colon = text.indexOf(':'), done = 0; colon >= 0; colon = text.indexOf(':', colon + 1)) {
      const c = text.charCodeAt(colon - 1);
      if (c < 48 || c > 57) continue;
      for (let at = Math.max(colon - 2, done); at < colon; at++) {
        TIME_DASH_AT.lastIndex = at;
        done = at + 1;
        if (TIME_DASH_AT.test(text)) {
          done = TIME_DASH_AT.lastIndex;
          tryContext(TIMED_CONTEXT, done, at);
          break;
        }
      }
    }
    // A name before an age: "Kirsty Moody, an 18-year-old woman".
    if (yearsOld(text)) {
      NAME_BEFORE_AGE.lastIndex = 0;
      for (let m = NAME_BEFORE_AGE.exec(text); m; m = NAME_BEFORE_AGE.exec(text)) {
        const name = m[1]!;
        const start = m.index + m[0].indexOf(name);
        const words = name.split(/[ \t]+/);
        if (words.some((w) => STOP.has(w.toLowerCase()) || HEADS.has(w.toLowerCase()))) continue;
        take({ start, end: start + name.length, words }, true, 'name before an age', false);
      }
    }
    // Names in capitals before a date of birth or record label, and "LAST, First" starting a line.
    if (hits.exec(ID_LABEL_RULE, 0)) {
      CAPS_BEFORE_ID.lastIndex = 0;
      for (let m = CAPS_BEFORE_ID.exec(text); m; m = CAPS_BEFORE_ID.exec(text)) {
        const words = m[1]!.split(/[ \t]+/);
        if (words.some((w) => STOP.has(w.toLowerCase()))) continue;
        take({ start: m.index, end: m.index + m[1]!.length, words }, true, 'capitals before an identifier', false);
      }
    }
    // Mid-line labels: at each colon, the words before it.
    for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
      // every label ends in a letter or ")", then maybe spaces: not "12:30", "<a>:", "Re::"
      const c = text.charCodeAt(spacesBack(text, colon) - 1);
      if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 41)) continue;
      const lead = before(text, colon, 40);
      const from = colon - lead.length;
      if (!labelWordIn(text, from, colon) && !BY_BEFORE.test(lead)) continue;
      const label = LABEL_BEFORE_COLON.exec(lead);
      if (!label) continue;
      SPACES.lastIndex = colon + 1;
      SPACES.exec(text);
      tryContext(INLINE_LABEL_CONTEXT, SPACES.lastIndex, colon - lead.length + label.index);
    }
    // Line starts: the line-start contexts, tried there alone.
    for (let line = 0; line <= text.length; ) {
      // Every line context starts, after spaces, with an ASCII letter or a dash; "LAST, First" with a capital.
      const head = text.charCodeAt(line);
      const lead = text.charCodeAt(spacesOn(text, line));
      LINE_LAST_FIRST.lastIndex = line;
      if (((head >= 65 && head <= 90) || head > 127) && LINE_LAST_FIRST.test(text)) take(phraseAt(text, line, lex, 'any', true), true, 'line', true);
      LINE_RE.lastIndex = line;
      const m = lead === 45 || lead === 0x2013 || lead === 0x2014 || (((lead >= 65 && lead <= 90) || (lead >= 97 && lead <= 122)) && lineWord(text, spacesOn(text, line))) ? LINE_RE.exec(text) : null;
      if (m) {
        const c = LINE_CONTEXTS[LINE_CONTEXTS.findIndex((_, k) => m.groups![`c${k}`] !== undefined)]!;
        const blankBefore = line === 0 || /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', line - 2) + 1, line - 1));
        if (!c.blankLineBefore || blankBefore) tryContext(c, LINE_RE.lastIndex, line);
      }
      const next = text.indexOf('\n', line);
      if (next < 0) break;
      line = next + 1;
    }

    out.push(...found);
  },
  findWeak(text, out, doc) {
    const lex = lexicon();
    const found: PhiSpan[] = [];
    const take = (phrase: Phrase | undefined, strong: boolean, rule: string, weak: boolean) => takeName(found, doc, lex, phrase, strong, rule, weak);
    // Names before credentials and roles, read backwards on their line.
    const hits = wordHits(text, doc);
    for (let m = hits.exec(CREDENTIAL_RULE, 0); m; m = hits.exec(CREDENTIAL_RULE, m.index + m[0].length)) {
      const sep = CREDENTIAL_SEPARATOR.exec(before(text, m.index, 4));
      if (!sep || /^[ \t]+\d{4,5}\b/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 8))) continue; // "Bethesda, MD 20892": a state
      const at = m.index - sep[0].length;
      const lead = before(text, at, 60);
      const n = NAME_BEFORE.exec(lead);
      if (!n) continue;
      const name = n[1]!;
      const start = at - name.length;
      const words = name.split(/[ \t]+/);
      const headWord = words.find((w) => !/^\p{Lu}\.$/u.test(w)) ?? '';
      const last = words[words.length - 1]!.replace(/\.$/, '').toLowerCase();
      if (STOP.has(headWord.toLowerCase()) || HEADS.has(headWord.toLowerCase()) || !(isNameWord(last, lex) || lex.surnames.has(last) || /^\p{Ll}\.?$/u.test(last))) continue;
      if (HISTORICAL.test(before(text, start, 48))) continue;
      take({ start, end: at, words }, false, 'credential', true);
    }
    // A known first name followed by a capitalised word. Only capitalised first names ("John")
    // start a pair, so the lookup is by the word as written, without lower-casing each word.
    FIRST_CANDIDATE.lastIndex = 0;
    for (let m = FIRST_CANDIDATE.exec(text); m; m = FIRST_CANDIDATE.exec(text)) {
      const first = m[0];
      if (!lex.capitalisedFirstNames.has(first)) continue;
      NEXT_WORD.lastIndex = m.index + first.length;
      const next = NEXT_WORD.exec(text);
      if (!next) continue;
      const initial = next[1] !== undefined;
      const second = next[2]!.replace(/['’]s?$/, '');
      const lower = first.toLowerCase();
      const bl = second.toLowerCase();
      if (STOP.has(lower) || PARTICLES.has(lower) || STOP.has(bl) || PARTICLES.has(bl) || bl.length < 2) continue;
      // The second word must read as a surname: a known one, or (after a census first name that is
      // not itself a common word) any word that is not a common one. A middle initial between them
      // asks for a known surname ("Moore A. Aniridia" in a citation is not a name).
      const knownSurname = lex.surnames.has(bl) && !(lex.common.has(lower) && lex.common.has(bl));
      const unknown = !lex.common.has(bl) && !lex.surnames.has(bl) && lex.censusFirstNames.has(lower) && !lex.common.has(lower);
      if (!knownSurname && (!unknown || initial)) continue;
      const end = NEXT_WORD.lastIndex - (next[2]!.length - second.length);
      if (eponymAfter(text, end, true)) continue;
      if (HISTORICAL.test(before(text, m.index, 48))) continue;
      take({ start: m.index, end, words: [first, second] }, false, 'first name + surname', true);
    }
    // Every other occurrence of a word found in a name, as written ("Patel") or in capitals ("PATEL").
    for (const word of doc.nameWords) {
      for (const form of [word[0]!.toUpperCase() + word.slice(1), word.toUpperCase()]) {
        for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
          const end = at + form.length;
          if (LETTER.test(text[at - 1] ?? '') || (LETTER.test(text[end] ?? '') && !/^['’]s?(?![\p{L}])/u.test(text.slice(end, end + 3)))) continue;
          if (!eponymAfter(text, end, true) && !CITATION_AFTER.test(text.slice(end, end + 40))) found.push({ type: 'NAME', start: at, end, kind: 'weak', rule: 'same word' });
        }
      }
    }
    out.push(...found);
  },
};

