/**
 * The PHI development set: synthetic clinical and personal documents (discharge summaries, referral
 * letters, clinic letters, patient e-mails, lab reports, forum posts, nursing notes) in US, UK,
 * Canadian, Australian and Irish formats, with planted identifiers and their offsets, and planted
 * public items that must stay (hotlines, institutional e-mails and URLs, eponymous diseases, drug
 * names, citations, software versions). `bench/pii.ts` and test/phi/ measure the de-identifier on
 * it (recall per type and format, false redactions of the public items).
 *
 * The names, streets and towns here are this file's own lists, written by hand, not the
 * dictionaries the de-identifier reads (src/phi/lexicon.ts): a name the dictionaries lack must be
 * found from its context, and a third of the first names and surnames are chosen to be rare in US
 * and UK registers. Deterministic: the same seed gives the same documents.
 */

import { seededRandom } from '../src/models/random.js';

export type PhiType =
  | 'NAME'
  | 'ADDRESS'
  | 'DATE'
  | 'AGE'
  | 'PHONE'
  | 'EMAIL'
  | 'SSN'
  | 'MRN'
  | 'ACCOUNT'
  | 'LICENSE'
  | 'DEVICE'
  | 'URL_PERSONAL'
  | 'IP';

export interface Planted {
  type: PhiType;
  /** How it is written: "title + surname", "UK mobile", "written date", ... */
  format: string;
  start: number;
  end: number;
}

export interface PublicItem {
  /** hotline, institutional e-mail, eponym, drug, citation author, version, ... */
  kind: string;
  start: number;
  end: number;
}

export interface DevDoc {
  kind: string;
  country: Country;
  text: string;
  planted: Planted[];
  keep: PublicItem[];
}

export type Country = 'US' | 'UK' | 'CA' | 'AU' | 'IE';

// ---------------------------------------------------------------------------------------------
// Hand-written pools. Common and rare names from many origins; surnames that are also English words
// (Young, Black, Rose) and first names that are (Hope, Grace, Will) are there on purpose.

const FIRST_F = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Susan', 'Margaret', 'Dorothy', 'Karen', 'Helen', 'Sandra',
  'Emily', 'Sarah', 'Jessica', 'Laura', 'Rebecca', 'Catherine', 'Eleanor', 'Harriet', 'Imogen', 'Siobhan',
  'Aoife', 'Niamh', 'Priya', 'Ananya', 'Mei', 'Yuki', 'Fatima', 'Aisha', 'Olumide', 'Chiamaka',
  'Ngozi', 'Lucia', 'Ximena', 'Guadalupe', 'Ingrid', 'Astrid', 'Maeve', 'Grace', 'Hope', 'Joy',
  'Beatriz', 'Thandiwe', 'Kalani', 'Leilani', 'Anh', 'Hoa', 'Svetlana', 'Agnieszka', 'Zofia', 'Bronwyn',
];
const FIRST_M = [
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'George', 'Edward', 'Harold', 'Arthur', 'Walter', 'Albert', 'Gareth', 'Rhys', 'Callum', 'Seamus',
  'Cillian', 'Rajesh', 'Arjun', 'Wei', 'Hiroshi', 'Mohammed', 'Omar', 'Chukwuemeka', 'Tunde', 'Kwame',
  'Mateo', 'Santiago', 'Joaquin', 'Lars', 'Bjorn', 'Dmitri', 'Wojciech', 'Tariq', 'Will', 'Frank',
  'Jack', 'Bill', 'Ray', 'Duc', 'Minh', 'Tane', 'Kofi', 'Ewan', 'Declan', 'Barnaby',
];
const SURNAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson',
  'Thomas', 'Moore', 'Jackson', 'Martin', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker',
  'Young', 'King', 'Wright', 'Green', 'Baker', 'Hill', 'Black', 'Rose', 'Marsh', 'Fox',
  "O'Callaghan", 'McAllister', 'Fitzgerald', 'Ni Bhriain', 'Okonkwo', 'Adeyemi', 'Mensah', 'Nwosu', 'Patel', 'Sharma',
  'Krishnamurthy', 'Chen', 'Nguyen', 'Tanaka', 'Kowalski', 'Wisniewska', 'Lindqvist', 'Haugen', 'Garcia', 'Hernandez',
  'Gonzalez', 'Castillo', 'Delacroix', 'van der Berg', 'Smith-Jones', 'Ahmed', 'Khan', 'Haddad', 'Abernethy', 'Featherstonehaugh',
  'Quigley', 'Pemberton', 'Threlfall', 'Ramanathan', 'Takahashi', 'Oyelaran', 'Zielinski', 'Barraclough', 'Kaur', 'Begum',
];
const STREET_NAMES = [
  'Maple', 'Oak', 'Elm', 'Cedar', 'Pine', 'Church', 'Station', 'High', 'Mill', 'Park',
  'Victoria', 'Kingsley', 'Ashford', 'Willowbrook', 'Hawthorn', 'Juniper', 'Sycamore', 'Fairview', 'Lakeshore', 'Riverside',
  'Martin Luther King Jr', 'Saint Anne', 'Old Mill', 'North Ridge', 'Chapel', 'Queens', 'Belmont', 'Glenwood', 'Larkspur', 'Tamarack',
];
const US_SUFFIX = ['Street', 'St', 'St.', 'Avenue', 'Ave', 'Ave.', 'Road', 'Rd', 'Drive', 'Dr', 'Lane', 'Ln', 'Boulevard', 'Blvd', 'Court', 'Ct', 'Place', 'Way', 'Circle', 'Terrace', 'Parkway', 'Trail'];
const UK_SUFFIX = ['Road', 'Street', 'Lane', 'Close', 'Avenue', 'Crescent', 'Gardens', 'Grove', 'Terrace', 'Way', 'Drive', 'Mews', 'Row', 'Walk', 'Rise', 'Hill', 'Green', 'Square', 'Court', 'Place'];
const US_CITIES: [string, string, string][] = [
  ['Springfield', 'IL', '627'], ['Columbus', 'OH', '432'], ['Fresno', 'CA', '937'], ['Tulsa', 'OK', '741'], ['Albany', 'NY', '122'],
  ['Burlington', 'VT', '054'], ['Boise', 'ID', '837'], ['Chattanooga', 'TN', '374'], ['Ann Arbor', 'MI', '481'], ['Santa Fe', 'NM', '875'],
  ['Cedar Rapids', 'IA', '524'], ['Bismarck', 'ND', '585'], ['Savannah', 'GA', '314'], ['Eugene', 'OR', '974'], ['Wilmington', 'DE', '198'],
  ['Scranton', 'PA', '185'], ['Macon', 'GA', '312'], ['Flagstaff', 'AZ', '860'], ['Duluth', 'MN', '558'], ['Lafayette', 'LA', '705'],
];
const UK_TOWNS: [string, string][] = [
  ['Leeds', 'LS6 2AB'], ['Manchester', 'M14 5RT'], ['Bristol', 'BS7 8QN'], ['Norwich', 'NR2 3LP'], ['Cardiff', 'CF24 4HQ'],
  ['Sheffield', 'S10 2TN'], ['Exeter', 'EX4 6PX'], ['Harrogate', 'HG1 2BE'], ['Glasgow', 'G12 8QQ'], ['Edinburgh', 'EH9 1JS'],
  ['Belfast', 'BT9 6AD'], ['Swansea', 'SA2 8PP'], ['Bath', 'BA2 4BL'], ['Kendal', 'LA9 4RG'], ['Guildford', 'GU2 7XH'],
  ['London', 'SW1A 2AA'], ['London', 'E17 4QP'], ['London', 'NW3 2QG'], ['Croydon', 'CR0 2RH'], ['Truro', 'TR1 3LJ'],
];
const CA_CITIES: [string, string, string][] = [['Toronto', 'ON', 'M5V 2T6'], ['Ottawa', 'ON', 'K1N 6N5'], ['Halifax', 'NS', 'B3H 4R2'], ['Calgary', 'AB', 'T2P 1J9'], ['Victoria', 'BC', 'V8W 1P6'], ['Winnipeg', 'MB', 'R3C 4T3']];
const AU_CITIES: [string, string, string][] = [['Parramatta', 'NSW', '2150'], ['Fitzroy', 'VIC', '3065'], ['Toowong', 'QLD', '4066'], ['Glenelg', 'SA', '5045'], ['Fremantle', 'WA', '6160'], ['Sandy Bay', 'TAS', '7005']];
const IE_TOWNS: [string, string][] = [['Dublin 8', 'D08 W9RT'], ['Galway', 'H91 E2K3'], ['Cork', 'T12 R229'], ['Limerick', 'V94 T9PX']];

const CONDITIONS = ['type 2 diabetes mellitus', 'congestive heart failure', 'COPD', 'atrial fibrillation', 'chronic kidney disease stage 3', 'hypertension', 'rheumatoid arthritis', 'a left hip fracture', 'community-acquired pneumonia', 'major depressive disorder'];
const SYMPTOMS = ['shortness of breath', 'chest pain', 'a two-day history of fever', 'confusion', 'a fall at home', 'abdominal pain', 'worsening ankle swelling', 'palpitations'];
const DRUGS = ['metformin 500 mg twice daily', 'apixaban 5 mg twice daily', 'furosemide 40 mg daily', 'atorvastatin 20 mg at night', 'amoxicillin 500 mg three times daily', 'sertraline 50 mg daily', 'levothyroxine 75 mcg daily', 'paracetamol 1 g four times daily'];
const EPONYMS = ["Parkinson's disease", 'Parkinson disease', "Crohn's disease", "Alzheimer's disease", 'Graves disease', "Hashimoto's thyroiditis", 'Down syndrome', "Hodgkin lymphoma", 'Cushing syndrome', "Addison's disease", 'Guillain-Barre syndrome', "Bell's palsy", "Wilson disease", "Huntington's disease", 'Marfan syndrome', "Raynaud's phenomenon", "Sjogren syndrome", 'Barrett esophagus'];
const HOTLINES: [string, Country][] = [
  ['1-800-222-1222', 'US'], ['1-800-273-8255', 'US'], ['(800) 352-9424', 'US'], ['1-888-346-3656', 'US'], ['1-866-615-6464', 'US'],
  ['0800 1111', 'UK'], ['111', 'UK'], ['0300 123 1053', 'UK'], ['0808 800 4040', 'UK'], ['13 11 14', 'AU'], ['1800 022 222', 'AU'], ['1-833-456-4566', 'CA'],
];
const ORG_EMAILS = ['info@diabetes.org', 'NINDSinfo@ninds.nih.gov', 'GARDinfo@nih.gov', 'enquiries@nice.org.uk', 'helpline@asthma.org.uk', 'contact@alzheimers.org.au', 'support@heart.org', 'patient.services@hospital.example.org'];
const ORG_URLS = ['https://www.cdc.gov/diabetes/basics/index.html', 'https://www.nhs.uk/conditions/asthma/', 'https://medlineplus.gov/ency/article/000145.htm', 'https://www.ninds.nih.gov/health-information/disorders', 'https://www.nice.org.uk/guidance/ng28', 'https://www.heart.org/en/health-topics/heart-failure'];
const VERSIONS = ['version 2.4.1.7', 'v10.0.19041.1', 'build 4.3.2.1', 'release 1.12.0.3', 'firmware 3.1.4.15'];
const CITATIONS = ['Smith J, Patel R, et al. N Engl J Med. 2019;380:1023-31.', 'Nguyen T, Brown A. Lancet. 2021;397:1180-9.', '(Williams et al., 2018)', 'Garcia M, Chen W. BMJ 2020;368:m441.', '(Harris and Clark, 2015)'];
const HOSPITALS = ['St. Mary’s Hospital', 'Royal Infirmary', 'Mercy Medical Center', 'General Hospital', 'Memorial Hospital', 'University Hospital'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// ---------------------------------------------------------------------------------------------

class Writer {
  text = '';
  planted: Planted[] = [];
  keep: PublicItem[] = [];
  constructor(
    readonly r: () => number,
    readonly country: Country,
  ) {}
  /** Plain text. */
  t(s: string): this {
    this.text += s;
    return this;
  }
  /** An identifier to be redacted. */
  id(type: PhiType, format: string, value: string): this {
    this.planted.push({ type, format, start: this.text.length, end: this.text.length + value.length });
    this.text += value;
    return this;
  }
  /** A public item that must stay. */
  pub(kind: string, value: string): this {
    this.keep.push({ kind, start: this.text.length, end: this.text.length + value.length });
    this.text += value;
    return this;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(i === 0 ? this.int(1, 9) : this.int(0, 9));
    return s;
  }
  letters(n: number, alphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

interface Person {
  first: string;
  last: string;
  female: boolean;
}

function person(w: Writer): Person {
  const female = w.chance(0.5);
  return { first: w.pick(female ? FIRST_F : FIRST_M), last: w.pick(SURNAMES), female };
}

const title = (w: Writer, p: Person) => (p.female ? w.pick(['Mrs', 'Ms', 'Miss', 'Mrs.', 'Ms.']) : w.pick(['Mr', 'Mr.']));
const dr = (w: Writer) => w.pick(w.country === 'US' ? ['Dr.', 'Dr.', 'Dr'] : ['Dr', 'Dr', 'Dr.']);

/** A name in one of the forms documents use; returns the writer. `upper`: header forms. */
function name(w: Writer, p: Person, form?: string): Writer {
  const f =
    form ??
    w.pick(['first last', 'first last', 'last, first', 'first middle-initial last', 'initial last', 'LAST, FIRST', 'first', 'last'] as const);
  switch (f) {
    case 'first last':
      return w.id('NAME', 'first + last', `${p.first} ${p.last}`);
    case 'last, first':
      return w.id('NAME', 'last, first', `${p.last}, ${p.first}`);
    case 'first middle-initial last':
      return w.id('NAME', 'first + initial + last', `${p.first} ${w.letters(1)}. ${p.last}`);
    case 'initial last':
      return w.id('NAME', 'initial + last', `${p.first[0]}. ${p.last}`);
    case 'LAST, FIRST':
      return w.id('NAME', 'LAST, FIRST (capitals)', `${p.last.toUpperCase()}, ${p.first.toUpperCase()}`);
    case 'first':
      return w.id('NAME', 'first name alone', p.first);
    case 'last':
      return w.id('NAME', 'surname alone', p.last);
    default:
      throw new Error(`name form ${f}`);
  }
}

/** Title and surname as separate words: the title is kept, the name is redacted. */
function titled(w: Writer, p: Person, t = title(w, p)): Writer {
  w.t(`${t} `);
  return w.chance(0.25) ? w.id('NAME', 'title + first + last', `${p.first} ${p.last}`) : w.id('NAME', 'title + surname', p.last);
}

function doctor(w: Writer): Writer {
  const p = person(w);
  w.t(`${dr(w)} `);
  return w.pick([() => w.id('NAME', 'Dr + first + last', `${p.first} ${p.last}`), () => w.id('NAME', 'Dr + surname', p.last), () => w.id('NAME', 'Dr + initial + surname', `${p.first[0]}. ${p.last}`)])();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A date, in a format of the writer's country (or any). Returns the format name. */
function date(w: Writer, yearFrom: number, yearTo: number, format?: string): Writer {
  const y = w.int(yearFrom, yearTo);
  const m = w.int(1, 12);
  const d = w.int(1, 28);
  const mon = MONTHS[m - 1]!;
  const us = w.country === 'US';
  const forms: [string, string][] = [
    [us ? 'MM/DD/YYYY' : 'DD/MM/YYYY', us ? `${pad(m)}/${pad(d)}/${y}` : `${pad(d)}/${pad(m)}/${y}`],
    [us ? 'M/D/YYYY' : 'D/M/YYYY', us ? `${m}/${d}/${y}` : `${d}/${m}/${y}`],
    ['YYYY-MM-DD', `${y}-${pad(m)}-${pad(d)}`],
    [us ? 'Month D, YYYY' : 'D Month YYYY', us ? `${mon} ${d}, ${y}` : `${d} ${mon} ${y}`],
    ['D Mon YYYY', `${d} ${mon.slice(0, 3)} ${y}`],
    ['Mon. D, YYYY', `${mon.slice(0, 3)}. ${d}, ${y}`],
    ['DD-Mon-YYYY', `${pad(d)}-${mon.slice(0, 3)}-${y}`],
    ['DD.MM.YYYY', `${pad(d)}.${pad(m)}.${y}`],
    ['Dth Month YYYY', `${d}${d === 1 || d === 21 ? 'st' : d === 2 || d === 22 ? 'nd' : d === 3 || d === 23 ? 'rd' : 'th'} ${mon} ${y}`],
    [us ? 'MM/DD/YY' : 'DD/MM/YY', us ? `${pad(m)}/${pad(d)}/${pad(y % 100)}` : `${pad(d)}/${pad(m)}/${pad(y % 100)}`],
    ['Month D', `${mon} ${d}`],
  ];
  const [f, text] = format ? forms.find(([n]) => n === format) ?? forms[0]! : w.pick(forms);
  return w.id('DATE', f, text);
}

function phone(w: Writer, country = w.country): Writer {
  const forms: Record<Country, [string, () => string][]> = {
    US: [
      ['US (NNN) NNN-NNNN', () => `(${w.int(201, 799)}) ${w.int(200, 989)}-${w.digits(4)}`],
      ['US NNN-NNN-NNNN', () => `${w.int(201, 799)}-${w.int(200, 989)}-${w.digits(4)}`],
      ['US NNN.NNN.NNNN', () => `${w.int(201, 799)}.${w.int(200, 989)}.${w.digits(4)}`],
      ['US +1 NNN NNN NNNN', () => `+1 ${w.int(201, 799)} ${w.int(200, 989)} ${w.digits(4)}`],
      ['US 1-NNN-NNN-NNNN', () => `1-${w.int(201, 799)}-${w.int(200, 989)}-${w.digits(4)}`],
    ],
    CA: [['CA (NNN) NNN-NNNN', () => `(${w.pick(['416', '613', '902', '403', '250', '204'])}) ${w.int(200, 989)}-${w.digits(4)}`]],
    UK: [
      ['UK London 020', () => `020 7${w.digits(3)} ${w.digits(4)}`],
      ['UK mobile 07', () => `07${w.int(400, 999)} ${w.digits(6)}`],
      ['UK geographic 01', () => `01${w.int(132, 999)} ${w.digits(6)}`],
      ['UK +44', () => `+44 ${w.pick([`20 7${w.digits(3)} ${w.digits(4)}`, `161 4${w.digits(2)} ${w.digits(4)}`, `113 2${w.digits(2)} ${w.digits(4)}`, `7700 9${w.digits(5)}`])}`],
      ['UK +44 (0)', () => `+44 (0)${w.pick(['20', '161', '117'])} ${w.digits(3)} ${w.digits(4)}`],
    ],
    IE: [
      ['IE 01', () => `01 ${w.digits(3)} ${w.digits(4)}`],
      ['IE mobile 08', () => `08${w.pick(['3', '5', '6', '7'])} ${w.digits(3)} ${w.digits(4)}`],
      ['IE +353', () => `+353 ${w.pick(['1', '21', '91', '87'])} ${w.digits(3)} ${w.digits(4)}`],
    ],
    AU: [
      ['AU (0N) NNNN NNNN', () => `(0${w.pick(['2', '3', '7', '8'])}) ${w.digits(4)} ${w.digits(4)}`],
      ['AU mobile 04', () => `04${w.digits(2)} ${w.digits(3)} ${w.digits(3)}`],
      ['AU +61', () => `+61 ${w.pick(['2', '3', '4'])} ${w.digits(4)} ${w.digits(4)}`],
    ],
  };
  const [format, make] = w.pick(forms[country]);
  return w.id('PHONE', format, make());
}

function email(w: Writer, p: Person): Writer {
  const user = w.pick([`${p.first}.${p.last}`, `${p.first}${w.int(1, 99)}`, `${p.first[0]}${p.last}`, `${p.last}.${p.first[0]}`]).toLowerCase().replace(/[^a-z0-9.]/g, '');
  const host = w.pick(['gmail.com', 'yahoo.com', 'hotmail.co.uk', 'outlook.com', 'icloud.com', 'btinternet.com', 'bigpond.com', 'eircom.net', 'comcast.net']);
  const [hostName, ...tld] = host.split('.');
  return w.pick([
    () => w.id('EMAIL', 'plain', `${user}@${host}`),
    () => w.id('EMAIL', 'plain', `${user}@${host}`),
    () => w.id('EMAIL', 'obfuscated [at] [dot]', `${user} [at] ${hostName} [dot] ${tld.join(' [dot] ')}`),
    () => w.id('EMAIL', 'obfuscated (at)', `${user}(at)${host}`),
    () => w.id('EMAIL', 'obfuscated " at " " dot "', `${user} at ${hostName} dot ${tld.join(' dot ')}`),
  ])();
}

function street(w: Writer): Writer {
  const n = w.int(1, 9899);
  const nameOf = w.pick(STREET_NAMES);
  const uk = w.country !== 'US' && w.country !== 'CA';
  const suffix = w.pick(uk ? UK_SUFFIX : US_SUFFIX);
  const unit = w.chance(0.3) ? (uk ? `Flat ${w.int(1, 12)}, ` : '') : '';
  const after = !uk && w.chance(0.3) ? `, ${w.pick(['Apt', 'Apt.', 'Unit', 'Suite', '#'])} ${w.int(1, 40)}${w.pick(['', 'B', 'C'])}` : '';
  const dir = !uk && w.chance(0.2) ? `${w.pick(['N', 'S', 'E', 'W', 'North', 'West'])} ` : '';
  return w.id('ADDRESS', uk ? 'UK street' : 'US street', `${unit}${n} ${dir}${nameOf} ${suffix}${after}`);
}

/** The town and postcode line(s) of an address; each part planted. */
function town(w: Writer, multiline: boolean): Writer {
  const sep = multiline ? '\n' : ', ';
  switch (w.country) {
    case 'US': {
      const [city, state, zip3] = w.pick(US_CITIES);
      const zip = `${zip3}${w.digits(2)}${w.chance(0.3) ? `-${w.digits(4)}` : ''}`;
      return w.id('ADDRESS', 'US city', city).t(', ').t(state).t(' ').id('ADDRESS', zip.length > 5 ? 'ZIP+4' : 'ZIP', zip);
    }
    case 'CA': {
      const [city, prov, code] = w.pick(CA_CITIES);
      return w.id('ADDRESS', 'CA city', city).t(' ').t(prov).t('  ').id('ADDRESS', 'CA postal code', code);
    }
    case 'AU': {
      const [city, state, code] = w.pick(AU_CITIES);
      return w.id('ADDRESS', 'AU suburb', city).t(' ').t(state).t(' ').id('ADDRESS', 'AU postcode', code);
    }
    case 'IE': {
      const [city, code] = w.pick(IE_TOWNS);
      return w.id('ADDRESS', 'IE town', city).t(sep).id('ADDRESS', 'IE Eircode', code);
    }
    default: {
      const [city, code] = w.pick(UK_TOWNS);
      return w.id('ADDRESS', 'UK town', city).t(sep).id('ADDRESS', 'UK postcode', code);
    }
  }
}

function address(w: Writer, multiline: boolean): Writer {
  if (w.country === 'US' && w.chance(0.15)) w.id('ADDRESS', 'PO box', `${w.pick(['P.O. Box', 'PO Box', 'P.O. BOX'])} ${w.int(10, 9999)}`);
  else street(w);
  w.t(multiline ? '\n' : ', ');
  return town(w, multiline);
}

function mrn(w: Writer): Writer {
  const forms: [string, string, () => string][] = [
    ['MRN', 'MRN: ', () => w.digits(8)],
    ['MRN #', 'MRN #', () => w.digits(7)],
    ['Hospital No', 'Hospital No: ', () => `${w.letters(1)}${w.digits(7)}`],
    ['Hospital Number', 'Hospital Number ', () => `RX${w.digits(6)}`],
    ['Chart #', 'Chart #: ', () => w.digits(6)],
    ['Med Rec #', 'Med Rec #: ', () => `${w.digits(3)}-${w.digits(2)}-${w.digits(2)}`],
    ['Medical Record Number', 'Medical Record Number: ', () => w.digits(9)],
    ['Unit No', 'Unit No: ', () => w.digits(7)],
    ['Unit Number', 'Unit Number: ', () => `U${w.digits(6)}`],
    ['Encounter', 'Encounter: ', () => `E${w.digits(9)}`],
    ['Encounter #', 'Encounter #', () => w.digits(10)],
    ['Patient ID', 'Patient ID: ', () => `PID-${w.digits(6)}`],
    ['Case No', 'Case No. ', () => `${w.digits(2)}-${w.digits(5)}`],
    ['NHS No', w.pick(['NHS No: ', 'NHS number: ', 'NHS No. ']), () => `${w.digits(3)} ${w.digits(3)} ${w.digits(4)}`],
    ['CHI', 'CHI: ', () => `${pad(w.int(1, 28))}${pad(w.int(1, 12))}${w.digits(6)}`],
    ['Visit #', 'Visit #: ', () => `V${w.digits(8)}`],
  ];
  const [format, label, value] = w.pick(forms);
  return w.t(label).id('MRN', format, value());
}

function account(w: Writer): Writer {
  const mbiChar = 'ACDEFGHJKMNPQRTUVWXY';
  const forms: [string, string, () => string][] = [
    ['Acct #', 'Acct #: ', () => w.digits(9)],
    ['Account No', 'Account No. ', () => w.digits(10)],
    ['Subscriber ID', 'Subscriber ID: ', () => `${w.letters(3)}${w.digits(9)}`],
    ['Member ID', 'Member ID: ', () => `${w.letters(2)}${w.digits(8)}`],
    ['Policy No', 'Policy No: ', () => `${w.letters(2)}-${w.digits(7)}`],
    ['Group #', 'Group #: ', () => w.digits(6)],
    ['Medicare MBI', w.pick(['Medicare: ', 'MBI: ', 'Medicare ID: ']), () => `${w.int(1, 9)}${w.letters(1, mbiChar)}${w.letters(1, mbiChar)}${w.int(0, 9)}-${w.letters(1, mbiChar)}${w.letters(1, mbiChar)}${w.int(0, 9)}-${w.letters(2, mbiChar)}${w.digits(2)}`],
    ['Medicaid ID', 'Medicaid ID: ', () => `${w.digits(8)}${w.letters(1)}`],
    ['Medicare card (AU)', 'Medicare card: ', () => `${w.int(2, 6)}${w.digits(3)} ${w.digits(5)} ${w.int(1, 9)}`],
    ['Insurance ID', 'Insurance ID: ', () => `${w.letters(3)}${w.digits(7)}`],
  ];
  const [format, label, value] = w.pick(forms);
  return w.t(label).id('ACCOUNT', format, value());
}

function license(w: Writer): Writer {
  const forms: [string, string, () => string][] = [
    ["Driver's License", "Driver's License: ", () => `${w.letters(1)}${w.digits(7)}`],
    ['DL #', 'DL# ', () => `${w.letters(1)}${w.digits(8)}`],
    ['DEA', 'DEA #: ', () => `${w.letters(2)}${w.digits(7)}`],
    ['NPI', 'NPI: ', () => w.digits(10)],
    ['License No', 'License No. ', () => `${w.letters(2)}${w.digits(6)}`],
    ['GMC', 'GMC No: ', () => w.digits(7)],
    ['Passport', 'Passport No: ', () => w.digits(9)],
  ];
  const [format, label, value] = w.pick(forms);
  return w.t(label).id('LICENSE', format, value());
}

function device(w: Writer): Writer {
  const forms: [string, string, () => string][] = [
    ['Serial No', 'Serial No: ', () => `${w.letters(3)}${w.digits(6)}${w.letters(1)}`],
    ['S/N', 'S/N ', () => `${w.digits(4)}-${w.letters(2)}-${w.digits(4)}`],
    ['serial number (prose)', 'pacemaker, serial number ', () => `PJN${w.digits(6)}S`],
    ['Device ID', 'Device ID: ', () => `DEV-${w.digits(8)}`],
    ['IMEI', 'IMEI ', () => w.digits(15)],
    ['UDI', 'UDI: ', () => `(01)${w.digits(14)}(17)${w.digits(6)}`],
  ];
  const [format, label, value] = w.pick(forms);
  return w.t(label).id('DEVICE', format, value());
}

function ssn(w: Writer): Writer {
  const area = w.int(1, 665);
  const value = () => `${pad(area, 3)}${w.pick(['-', ' ', ''])}${pad(w.int(1, 99))}`;
  const forms: [string, string][] = [
    ['SSN:', 'SSN: '],
    ['SS#', 'SS#: '],
    ['Social Security No.', 'Social Security No. '],
    ['Social Security Number', 'Social Security Number: '],
    ['soc sec #', 'Soc Sec #: '],
    ['SSN (no label colon)', 'SSN '],
  ];
  const [format, label] = w.pick(forms);
  const first = value();
  const sep = first.length === 6 ? first[3]! : first.length === 5 ? '' : first[3]!;
  return w.t(label).id('SSN', format, `${first}${sep === ' ' ? ' ' : sep}${w.digits(4)}`);
}

function personalUrl(w: Writer, p: Person): Writer {
  const slug = `${p.first}${w.pick(['', '.', '_', '-'])}${p.last}`.toLowerCase().replace(/[^a-z0-9._-]/g, '');
  const forms: [string, string][] = [
    ['facebook', `https://www.facebook.com/${slug}.${w.int(10, 99)}`],
    ['twitter / x', `${w.pick(['https://twitter.com/', 'https://x.com/', 'twitter.com/'])}${slug.replace(/[.-]/g, '_')}`],
    ['instagram', `https://instagram.com/${slug}`],
    ['linkedin', `https://www.linkedin.com/in/${slug.replace(/[._]/g, '-')}-${w.digits(5)}`],
    ['gofundme', `https://www.gofundme.com/f/help-${p.first.toLowerCase()}-fight-${w.pick(['cancer', 'als', 'leukemia', 'kidney-failure'])}`],
    ['justgiving', `https://www.justgiving.com/page/${slug.replace(/[._]/g, '-')}`],
    ['caringbridge', `https://www.caringbridge.org/visit/${slug.replace(/[._-]/g, '')}`],
    ['blog', `https://${slug.replace(/[._-]/g, '')}.${w.pick(['blogspot.com', 'wordpress.com', 'substack.com'])}`],
    ['tiktok / youtube', `https://www.${w.pick(['tiktok.com', 'youtube.com'])}/@${slug.replace(/[.-]/g, '')}`],
    ['reddit user', `https://www.reddit.com/user/${slug.replace(/[.-]/g, '_')}`],
    ['medium', `https://medium.com/@${slug.replace(/[.-]/g, '')}`],
  ];
  const [format, url] = w.pick(forms);
  return w.id('URL_PERSONAL', format, url);
}

function age90(w: Writer): Writer {
  const a = w.int(90, 104);
  return w.pick([
    () => w.id('AGE', 'N-year-old', `${a}-year-old`),
    () => w.t('aged ').id('AGE', 'aged N', String(a)),
    () => w.t('Age: ').id('AGE', 'Age: N', String(a)),
    () => w.id('AGE', 'N y/o', `${a} y/o`),
    () => w.id('AGE', 'N yo', `${a}yo`),
    () => w.id('AGE', 'N years old', `${a} years old`),
  ])();
}

function ip(w: Writer): Writer {
  return w.chance(0.8)
    ? w.id('IP', 'IPv4', `${w.int(11, 223)}.${w.int(0, 255)}.${w.int(0, 255)}.${w.int(1, 254)}`)
    : w.id('IP', 'IPv6', `2001:db8:${w.int(1, 9999).toString(16)}::${w.int(1, 65535).toString(16)}`);
}

const hotline = (w: Writer) => {
  const own = HOTLINES.filter(([, c]) => c === w.country || (w.country === 'CA' && c === 'US') || (w.country === 'IE' && c === 'UK'));
  return w.pub('hotline', w.pick(own.length > 0 ? own : HOTLINES)[0]);
};

// ---------------------------------------------------------------------------------------------
// Document kinds.

function dischargeSummary(w: Writer): void {
  const p = person(w);
  const he = p.female ? 'She' : 'He';
  const his = p.female ? 'her' : 'his';
  const relative = person(w);
  const old = w.chance(0.3);
  w.t(w.pick(['DISCHARGE SUMMARY\n', 'Discharge Summary\n', 'DISCHARGE SUMMARY - ' + w.pick(HOSPITALS) + '\n']));
  w.t(w.pick(['Patient: ', 'Patient Name: ', 'Name: ', 'PATIENT: ']));
  name(w, p, w.pick(['last, first', 'first last', 'LAST, FIRST', 'first middle-initial last']));
  w.t('    ');
  mrn(w);
  w.t('\n');
  w.t(w.pick(['DOB: ', 'Date of Birth: ', 'D.O.B.: ', 'Born: ']));
  date(w, 1925, 1990);
  if (old) w.t('    ').t('Age: ').id('AGE', 'Age: N', String(w.int(90, 101)));
  w.t('\n');
  w.t(w.pick(['Admission Date: ', 'Date of Admission: ', 'Admitted: ', 'ADMISSION DATE: ']));
  date(w, 2019, 2025);
  w.t(w.pick(['    Discharge Date: ', '\nDate of Discharge: ', '    DISCHARGE DATE: ']));
  date(w, 2019, 2025);
  w.t('\n').t(w.pick(['Attending: ', 'Attending Physician: ', 'Consultant: ']));
  doctor(w);
  w.t('\n');
  if (w.chance(0.6)) {
    w.t('Address: ');
    address(w, false);
    w.t('\n');
  }
  if (w.chance(0.6)) {
    w.t(w.pick(['Phone: ', 'Tel: ', 'Home phone: ', 'Contact: ']));
    phone(w);
    w.t('\n');
  }
  if (w.chance(0.3)) {
    account(w);
    w.t('\n');
  }
  w.t('\nHISTORY OF PRESENT ILLNESS:\n');
  titled(w, p);
  w.t(' is a ');
  if (old) age90(w);
  else w.t(`${w.int(25, 89)}-year-old`);
  w.t(` ${p.female ? 'woman' : 'man'} with a history of ${w.pick(CONDITIONS)} and `).pub('eponym', w.pick(EPONYMS));
  w.t(` who presented to the emergency department on `);
  date(w, 2019, 2025, w.pick(['Month D', w.country === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY', w.country === 'US' ? 'Month D, YYYY' : 'D Month YYYY']));
  w.t(` with ${w.pick(SYMPTOMS)}. ${his[0]!.toUpperCase() + his.slice(1)} ${relative.female ? w.pick(['daughter', 'wife', 'sister']) : w.pick(['son', 'husband', 'brother'])}, `);
  w.id('NAME', 'relative first name', relative.first);
  w.t(`, reports that ${p.female ? 'she' : 'he'} had been more tired over the past week.\n\n`);
  w.t(`HOSPITAL COURSE:\n${he} was treated with ${w.pick(DRUGS)} and improved. `);
  w.t(`${w.pick(['Cardiology', 'Nephrology', 'Geriatrics'])} was consulted (`);
  doctor(w);
  w.t(`). ${w.pick(['Echo showed', 'CT showed', 'Labs showed'])} no acute change. `);
  if (w.chance(0.5)) {
    w.t(`Pacemaker interrogated; `);
    device(w);
    w.t('. ');
  }
  w.t(`${p.female ? 'Mrs' : 'Mr'} `).id('NAME', 'title + surname', p.last).t(`'s family was updated by phone.\n\n`);
  w.t(`DISCHARGE MEDICATIONS:\n1. ${w.pick(DRUGS)}\n2. `).pub('drug', w.pick(['Lisinopril', 'Metoprolol', 'Warfarin', 'Gabapentin'])).t(` ${w.int(5, 50)} mg daily\n\n`);
  w.t('FOLLOW-UP: with ');
  doctor(w);
  w.t(` in ${w.int(1, 4)} weeks. For poison emergencies call `);
  hotline(w);
  w.t('.\n');
  w.t(w.pick(['Dictated by: ', 'Electronically signed by: ', 'Signed: ']));
  const d = person(w);
  name(w, d, w.pick(['first last', 'first middle-initial last', 'last, first']));
  w.t(w.pick([', MD', ', M.D.', ' MD', ', DO']));
  w.t(' on ');
  date(w, 2019, 2025);
  w.t('\n');
}

function referralLetter(w: Writer): void {
  const p = person(w);
  const gp = person(w);
  w.t(`${w.pick(['The Elms', 'Riverside', 'Parkview', 'Castle Street', 'Beechwood'])} ${w.pick(['Surgery', 'Medical Practice', 'Health Centre'])}\n`);
  street(w);
  w.t('\n');
  town(w, true);
  w.t('\nTel: ');
  phone(w);
  w.t('   Fax: ');
  phone(w);
  w.t('\n\n');
  date(w, 2020, 2025, w.country === 'US' ? 'Month D, YYYY' : 'D Month YYYY');
  w.t('\n\nDear ');
  doctorName(w);
  w.t(',\n\nRe: ');
  w.t(`${title(w, p)} `);
  name(w, p, w.pick(['first last', 'first middle-initial last']));
  const paren = w.chance(0.25);
  w.t(paren ? ' (DOB: ' : w.pick([', DOB ', ', D.O.B. ', ', born ']));
  date(w, 1925, 1995);
  w.t(paren ? '), ' : ', ');
  if (w.country === 'US') mrn(w);
  else w.t('NHS No: ').id('MRN', 'NHS No', `${w.digits(3)} ${w.digits(3)} ${w.digits(4)}`);
  w.t('\n');
  address(w, w.chance(0.5));
  w.t('\n\nThank you for seeing this ');
  if (w.chance(0.25)) age90(w);
  else w.t(`${w.int(30, 89)}-year-old`);
  w.t(` ${p.female ? 'lady' : 'gentleman'}, who has had ${w.pick(SYMPTOMS)} for ${w.int(2, 8)} weeks. ${p.female ? 'She' : 'He'} has ${w.pick(CONDITIONS)}; there is a family history of `).pub('eponym', w.pick(EPONYMS));
  w.t(`. ${p.female ? 'Her' : 'His'} current medication is ${w.pick(DRUGS)}. `);
  w.t(`I would be grateful if you could see ${p.female ? 'her' : 'him'}. `);
  w.t(`${p.first} `).t(`lives with ${p.female ? 'her husband' : 'his wife'} `);
  w.id('NAME', 'relative first + last', `${person(w).first} ${p.last}`);
  w.t(', who can be contacted on ');
  phone(w);
  w.t('. Guidance: ').pub('institutional URL', w.pick(ORG_URLS)).t('.\n\n');
  w.t(w.pick(['Yours sincerely,\n\n', 'Kind regards,\n\n', 'Yours faithfully,\n\n']));
  w.t(`${dr(w)} `);
  name(w, gp, w.pick(['first last', 'first middle-initial last']));
  w.t(`\n${w.pick(['General Practitioner', 'GP Partner', 'Family Physician'])}\n`);
  if (w.chance(0.4)) license(w);
  w.t('\n');
  if (w.chance(0.4)) {
    w.t('cc: ');
    titled(w, p);
    w.t('\n');
  }
}

function doctorName(w: Writer): Writer {
  const p = person(w);
  w.t(`${dr(w)} `);
  return w.chance(0.5) ? w.id('NAME', 'Dr + surname', p.last) : w.id('NAME', 'Dr + first + last', `${p.first} ${p.last}`);
}

function patientEmail(w: Writer): void {
  const p = person(w);
  const parent = person(w);
  parent.last = p.last;
  w.t('From: ');
  if (w.chance(0.5)) {
    name(w, p, 'first last');
    w.t(' <');
    email(w, p);
    w.t('>\n');
  } else {
    email(w, p);
    w.t('\n');
  }
  w.t(`To: `).pub('institutional e-mail', w.pick(ORG_EMAILS)).t('\n');
  w.t(`Subject: ${w.pick(['appointment for my mother', 'question about my dad', 'results', 'prescription refill'])}\n`);
  w.t('Date: ');
  date(w, 2021, 2025, w.pick(['D Mon YYYY', 'Month D, YYYY', 'D Month YYYY']));
  w.t('\n\n');
  w.t(w.pick(['Hi ', 'Dear ', 'Hello ', 'Good morning ']));
  doctorName(w);
  w.t(',\n\n');
  w.t(`I'm writing about my ${parent.female ? w.pick(['mother', 'mum', 'mom']) : w.pick(['father', 'dad'])}, `);
  name(w, parent, w.pick(['first last', 'first']));
  const paren = w.chance(0.4);
  w.t(paren ? ' (DOB ' : w.pick([', date of birth ', ', born ']));
  date(w, 1925, 1960);
  if (paren) w.t(')');
  w.t(`. ${parent.female ? 'She' : 'He'} is `);
  if (w.chance(0.5)) age90(w);
  else w.t(`${w.int(60, 89)}`);
  w.t(` and was seen in your clinic on `);
  date(w, 2022, 2025, w.pick(['Month D', w.country === 'US' ? 'M/D/YYYY' : 'D/M/YYYY']));
  w.t(`. ${parent.female ? 'Her' : 'His'} `);
  mrn(w);
  w.t(` if that helps. We moved to `);
  street(w);
  w.t(' last month, so please update the address. ');
  w.t(`You can reach me on my mobile `);
  phone(w);
  w.t(w.pick([' or at ', ' or by e-mail: ']));
  email(w, p);
  w.t(`. ${parent.female ? 'She' : 'He'} is on ${w.pick(DRUGS)} and we are worried about `).pub('eponym', w.pick(EPONYMS)).t('.\n\n');
  w.t(w.pick(['Thanks,\n', 'Best wishes,\n', 'Regards,\n', 'Many thanks\n', 'Cheers,\n']));
  name(w, p, w.pick(['first', 'first last']));
  w.t('\n');
}

function labReport(w: Writer): void {
  const p = person(w);
  w.t(`${w.pick(['LABORATORY REPORT', 'PATHOLOGY REPORT', 'Clinical Chemistry'])}\n`);
  w.t('Name: ');
  name(w, p, w.pick(['LAST, FIRST', 'last, first', 'first last']));
  w.t(`    Sex: ${p.female ? 'F' : 'M'}    DOB: `);
  date(w, 1925, 2000, w.pick([w.country === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY', 'YYYY-MM-DD', 'DD-Mon-YYYY', 'DD.MM.YYYY']));
  w.t('\n');
  account(w);
  w.t('    ');
  mrn(w);
  w.t('\nCollected: ');
  date(w, 2023, 2025, w.pick([w.country === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY', 'YYYY-MM-DD', 'DD-Mon-YYYY']));
  w.t(` ${pad(w.int(6, 18))}:${pad(w.int(0, 59))}    Received: `);
  date(w, 2023, 2025, w.pick([w.country === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY', 'YYYY-MM-DD']));
  w.t('\nOrdering Physician: ');
  const d = person(w);
  name(w, d, w.pick(['last, first', 'first last', 'LAST, FIRST']));
  w.t(w.pick([', MD', ' MD', '']));
  w.t('    ');
  license(w);
  w.t('\n\n');
  w.t(`Hemoglobin        ${(w.int(95, 165) / 10).toFixed(1)} g/dL      (12.0-16.0)\n`);
  w.t(`WBC               ${(w.int(30, 150) / 10).toFixed(1)} x10^9/L   (4.0-11.0)\n`);
  w.t(`Creatinine        ${w.int(50, 180)} umol/L      (45-110)\n`);
  w.t(`HbA1c             ${w.int(38, 90)} mmol/mol\n\n`);
  w.t(`Analyzer: ${w.pick(['Cobas 8000', 'Architect c16000', 'Alinity ci'])}, `);
  device(w);
  w.t(`. Software `).pub('version', w.pick(VERSIONS)).t('. Results sent from workstation ');
  ip(w);
  w.t(' at ');
  w.t(`${pad(w.int(0, 23))}:${pad(w.int(0, 59))}.\n`);
  w.t('Verified by: ');
  name(w, person(w), w.pick(['first last', 'initial last']));
  w.t(w.pick([', BMS', ', MLS(ASCP)', '']));
  w.t('\nQueries: ').pub('institutional e-mail', w.pick(ORG_EMAILS)).t('\n');
}

function forumPost(w: Writer): void {
  const p = person(w);
  const partner = person(w);
  w.t(`Posted by ${w.pick(['sunflower', 'hopeful', 'tired_mum', 'dave', 'runner'])}${w.int(10, 99)} on `);
  date(w, 2018, 2025, w.pick(['Month D, YYYY', 'D Month YYYY', 'MM/DD/YYYY']));
  w.t('\n\n');
  w.t(w.pick(["Hi all, I'm ", 'Hello everyone, my name is ', 'Hi, this is ', 'Hey, ']));
  name(w, p, w.pick(['first', 'first', 'first last']));
  w.t(w.pick([' and ', '. ', ', ']));
  w.t(`my ${partner.female ? w.pick(['wife', 'partner', 'mum', 'daughter']) : w.pick(['husband', 'partner', 'dad', 'son'])} `);
  name(w, partner, w.pick(['first', 'first last']));
  w.t(` was diagnosed with ${w.pick(CONDITIONS)} at `).t(w.pick(HOSPITALS)).t(' last spring. ');
  w.t(`${partner.female ? 'She' : 'He'} is `);
  if (w.chance(0.4)) age90(w);
  else w.t(String(w.int(20, 89)));
  w.t(' and the doctors mentioned ').pub('eponym', w.pick(EPONYMS)).t(' as a possibility. ');
  w.t(`Our specialist, `);
  doctorName(w);
  w.t(`, started ${w.pick(DRUGS)}. Has anyone else tried it? There is a good study: `).pub('citation', w.pick(CITATIONS)).t('\n\n');
  w.t('If anyone local wants to meet up, we are near ');
  street(w);
  w.t(' in ');
  town(w, false);
  w.t('. ');
  w.t(w.pick(['Text me on ', 'My number is ', 'Call me at ']));
  phone(w);
  w.t(w.pick(['. ', ' or email ']));
  if (w.text.endsWith('email ')) {
    email(w, p);
    w.t('. ');
  }
  w.t(`We set up a page for the treatment costs: `);
  personalUrl(w, partner);
  w.t(' and you can follow our story at ');
  personalUrl(w, p);
  w.t('. The charity line ').pub('hotline', HOTLINES.find(([, c]) => c === w.country)?.[0] ?? HOTLINES[0]![0]).t(' was helpful too. More info: ').pub('institutional URL', w.pick(ORG_URLS)).t('\n\n');
  w.t(w.pick(['Thanks, ', 'Love, ', 'x ', '- ']));
  name(w, p, 'first');
  w.t('\n');
}

function nursingNote(w: Writer): void {
  const p = person(w);
  w.t(`${w.pick(['Nursing note', 'NURSING PROGRESS NOTE', 'Ward round note'])} `);
  date(w, 2022, 2025, w.pick(['YYYY-MM-DD', w.country === 'US' ? 'MM/DD/YY' : 'DD/MM/YY', 'D Mon YYYY']));
  w.t(` ${pad(w.int(0, 23))}${pad(w.int(0, 59))}h\n`);
  w.t('Pt: ');
  name(w, p, w.pick(['last, first', 'LAST, FIRST', 'first last', 'initial last']));
  w.t(', ');
  if (w.chance(0.5)) age90(w);
  else w.t(`${w.int(18, 89)}${p.female ? 'F' : 'M'}`);
  w.t(', bed ').t(`${w.int(1, 30)}${w.pick(['A', 'B', ''])}`).t('. ');
  w.t(w.pick(['SSN on file. ', '']));
  if (w.country === 'US' && w.chance(0.7)) {
    ssn(w);
    w.t('. ');
  }
  w.t(`Obs stable, BP ${w.int(100, 160)}/${w.int(60, 95)}, HR ${w.int(55, 110)}. `);
  titled(w, p);
  w.t(` mobilised with frame. Daughter `);
  const dau = person(w);
  w.id('NAME', 'relative first + last', `${dau.first} ${w.chance(0.5) ? p.last : dau.last}`);
  w.t(' visited, NOK details confirmed: ');
  phone(w);
  w.t('. ');
  w.t('Plan discussed with ');
  doctor(w);
  w.t('. Next review ');
  date(w, 2022, 2025, 'Month D');
  w.t('.\n');
  w.t(w.pick(['RN ', 'Nurse ', 'Signed: ']));
  name(w, person(w), w.pick(['first last', 'initial last', 'first']));
  w.t('\n');
}

const KINDS: Record<string, (w: Writer) => void> = {
  'discharge summary': dischargeSummary,
  'referral letter': referralLetter,
  'patient e-mail': patientEmail,
  'lab report': labReport,
  'forum post': forumPost,
  'nursing note': nursingNote,
};

const COUNTRIES: Country[] = ['US', 'US', 'UK', 'UK', 'CA', 'AU', 'IE'];

/** `count` documents, kinds and countries in rotation, from `seed`. */
export function phiDevSet(count: number, seed = 1): DevDoc[] {
  const docs: DevDoc[] = [];
  const kinds = Object.keys(KINDS);
  for (let i = 0; i < count; i++) {
    const r = seededRandom(seed * 1_000_003 + i); // mulberry32: a seed gives the same set on every machine
    const country = COUNTRIES[i % COUNTRIES.length]!;
    const kind = kinds[Math.floor(i / COUNTRIES.length) % kinds.length]!;
    const w = new Writer(r, country);
    KINDS[kind]!(w);
    docs.push({ kind, country, text: w.text, planted: w.planted, keep: w.keep });
  }
  return docs;
}
