/**
 * Held-out PHI evaluation set.
 *
 * Written independently of the detector (src/phi/) and of the project's own
 * development-set generator: the layouts, phrasing, name pools and identifier
 * formats below are hand-made for this file, so scores on these documents
 * measure how well the detector generalises rather than how well it matches
 * the generator it was tuned on.
 *
 *   phiHoldout(count, seed)  -> deterministic documents with planted PHI spans
 *                               and "keep" spans (public text that must survive)
 *   checkHoldout(docs)       -> list of consistency problems (empty when sound)
 *
 * Run directly (node dist/scripts/phi-holdout.js [count] [seed] [show]) to print
 * counts per type/format and a few sample documents.
 */
import { pathToFileURL } from 'node:url';

export interface HoldoutSpan { type: string; format: string; start: number; end: number }
export interface HoldoutKeep { kind: string; start: number; end: number }
export interface HoldoutDoc {
  kind: string;
  country: string;
  text: string;
  planted: HoldoutSpan[];
  keep: HoldoutKeep[];
}

/* ------------------------------------------------------------------------ */
/* PRNG: sfc32 seeded through splitmix32                                     */
/* ------------------------------------------------------------------------ */

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number) {
    let s = (seed ^ Math.imul(stream + 0x51ed27, 0x9e3779b9)) >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(a: readonly T[]): T {
    if (a.length === 0) throw new Error('pick from empty list');
    return a[Math.floor(this.next() * a.length)] as T;
  }

  /** items: [value, weight] */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.next() * total;
    for (const [v, w] of items) {
      x -= w;
      if (x < 0) return v;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from empty list');
    return last[0];
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  /** n digits, first one non-zero */
  num(n: number): string {
    return String(this.int(1, 9)) + this.digits(n - 1);
  }

  letters(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet.charAt(this.int(0, alphabet.length - 1));
    return s;
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = a[i] as T;
      a[i] = a[j] as T;
      a[j] = t;
    }
    return a;
  }

  /** pick k distinct items */
  sample<T>(a: readonly T[], k: number): T[] {
    return this.shuffle([...a]).slice(0, Math.min(k, a.length));
  }
}

/* ------------------------------------------------------------------------ */
/* Text builder with span bookkeeping                                        */
/* ------------------------------------------------------------------------ */

interface PlantPiece { readonly tag: 'p'; readonly type: string; readonly format: string; readonly v: string }
interface KeepPiece { readonly tag: 'k'; readonly kind: string; readonly v: string }
type Piece = string | number | PlantPiece | KeepPiece | null | undefined | false | Piece[];

/** An identifier value with its format label, planted on use. */
interface Id { v: string; f: string }

const P = (type: string, format: string, v: string): PlantPiece => ({ tag: 'p', type, format, v });
const K = (kind: string, v: string): KeepPiece => ({ tag: 'k', kind, v });

class Builder {
  text = '';
  planted: HoldoutSpan[] = [];
  keep: HoldoutKeep[] = [];

  add(x: Piece): void {
    if (x === null || x === undefined || x === false) return;
    if (typeof x === 'string') {
      this.text += x;
      return;
    }
    if (typeof x === 'number') {
      this.text += String(x);
      return;
    }
    if (Array.isArray(x)) {
      for (const y of x) this.add(y);
      return;
    }
    const start = this.text.length;
    this.text += x.v;
    const end = this.text.length;
    if (x.tag === 'p') this.planted.push({ type: x.type, format: x.format, start, end });
    else this.keep.push({ kind: x.kind, start, end });
  }

  /** inline template */
  w(s: TemplateStringsArray, ...v: Piece[]): void {
    for (let i = 0; i < s.length; i++) {
      this.text += s[i] ?? '';
      if (i < v.length) this.add(v[i]);
    }
  }

  /** template followed by a newline */
  l(s: TemplateStringsArray, ...v: Piece[]): void {
    this.w(s, ...v);
    this.text += '\n';
  }

  /** pieces followed by a newline */
  line(...v: Piece[]): void {
    this.add(v);
    this.text += '\n';
  }

  nl(n = 1): void {
    this.text += '\n'.repeat(n);
  }
}

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */
/* ------------------------------------------------------------------------ */

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function luhnDigit(body: string): number {
  // check digit that makes body+digit pass Luhn
  let sum = 0;
  let dbl = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let n = body.charCodeAt(i) - 48;
    if (dbl) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    dbl = !dbl;
  }
  return (10 - (sum % 10)) % 10;
}

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i').replace(/ł/g, 'l').replace(/ß/g, 'ss');
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];


/* ------------------------------------------------------------------------ */
/* Name pools (hand-written for this file)                                   */
/* ------------------------------------------------------------------------ */

interface Culture {
  id: string;
  /** uncommon in US/UK name registers */
  rare: boolean;
  f: readonly string[];
  m: readonly string[];
  s: readonly string[];
}

const CULTURES: Record<string, Culture> = {
  anglo: {
    id: 'anglo',
    rare: false,
    f: [
      'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Nancy',
      'Margaret', 'Sandra', 'Ashley', 'Emily', 'Donna', 'Michelle', 'Dorothy', 'Carol', 'Amanda', 'Deborah', 'Rebecca',
      'Sharon', 'Laura', 'Kathleen', 'Shirley', 'Angela', 'Helen', 'Brenda', 'Pamela', 'Nicole', 'Emma', 'Katherine',
      'Christine', 'Rachel', 'Catherine', 'Janet', 'Ruth', 'Heather', 'Diane', 'Virginia', 'Joyce', 'Victoria', 'Olivia',
      'Lauren', 'Joan', 'Evelyn', 'Judith', 'Megan', 'Cheryl', 'Hannah', 'Martha', 'Frances', 'Gloria', 'Ann', 'Teresa',
      'Jean', 'Alice', 'Doris', 'Abigail', 'Julia', 'Grace', 'Denise', 'Amber', 'Beverly', 'Natalie', 'Charlotte', 'Rose',
      'Joy', 'Hope', 'Faith', 'June', 'April', 'Dawn', 'Summer', 'Gwen', 'Beryl', 'Edna', 'Mavis', 'Gladys', 'Doreen',
      'Pauline', 'Lorraine', 'Tracey', 'Kerry', 'Gemma', 'Leanne', 'Jade', 'Poppy', 'Molly', 'Millie', 'Freya', 'Holly',
      'Kirsty', 'Fiona', 'Morag', 'Ailsa', 'Isla', 'Sian', 'Rhiannon', 'Bethan', 'Eileen', 'Bridget', 'Shannon', 'Kayleigh',
    ],
    m: [
      'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Christopher',
      'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kenneth', 'Kevin', 'Brian',
      'George', 'Timothy', 'Ronald', 'Edward', 'Jason', 'Jeffrey', 'Ryan', 'Gary', 'Nicholas', 'Eric', 'Jonathan',
      'Stephen', 'Larry', 'Scott', 'Brandon', 'Benjamin', 'Samuel', 'Gregory', 'Frank', 'Patrick', 'Raymond', 'Jack',
      'Dennis', 'Jerry', 'Tyler', 'Aaron', 'Henry', 'Douglas', 'Peter', 'Adam', 'Nathan', 'Walter', 'Harold', 'Carl',
      'Keith', 'Roger', 'Gerald', 'Arthur', 'Terry', 'Sean', 'Lawrence', 'Austin', 'Albert', 'Bruce', 'Wayne', 'Eugene',
      'Louis', 'Russell', 'Vincent', 'Philip', 'Bill', 'Will', 'Tom', 'Ted', 'Reg', 'Derek', 'Clive', 'Nigel', 'Trevor',
      'Graham', 'Colin', 'Ian', 'Gareth', 'Rhys', 'Dafydd', 'Callum', 'Hamish', 'Angus', 'Euan', 'Stuart', 'Neil',
      'Craig', 'Alfie', 'Archie', 'Stanley', 'Cyril', 'Norman', 'Barry', 'Harry', 'Dale', 'Hunter', 'Chase',
    ],
    s: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
      'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young',
      'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts',
      'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Cook', 'Rogers',
      'Morgan', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Howard', 'Ward', 'Cox', 'Richardson', 'Wood', 'Watson', 'Brooks',
      'Bennett', 'Gray', 'Hughes', 'Price', 'Myers', 'Long', 'Ross', 'Foster', 'Powell', 'Jenkins', 'Perry', 'Russell',
      'Fisher', 'Hamilton', 'Graham', 'Wallace', 'Wells', 'Cole', 'West', 'Owens', 'Reynolds', 'Ellis', 'Harrison',
      'Gibson', 'Marshall', 'Ford', 'Hunt', 'Stone', 'Hale', 'Rice', 'Moody', 'Fletcher', 'Barrett', 'Paget', 'Addison',
      'Parkinson', 'Graves', 'Bishop', 'Nurse', 'Blackwood', 'Whitfield', 'Ashworth', 'Pemberton', 'Hargreaves',
      'Holloway', 'Thistlethwaite', 'Featherstone', 'Cartwright', 'Entwistle', 'Fairbrother', 'Butterworth',
      'Llewellyn', 'Pritchard', 'Vaughan', 'Rees', 'MacLeod', 'McAllister', 'Fraser', 'Buchanan', 'Cameron', 'Drummond',
      'Lamb', 'Fox', 'Swift', 'Frost', 'Winter', 'Day', 'Christmas', 'English', 'French', 'Hope', 'Constable', 'Sergeant',
    ],
  },
  irish: {
    id: 'irish',
    rare: false,
    f: ['Siobhan', 'Niamh', 'Aoife', 'Ciara', 'Maeve', 'Mairead', 'Orla', 'Sinead', 'Roisin', 'Grainne', 'Deirdre', 'Nuala', 'Clodagh', 'Saoirse', 'Caoimhe', 'Aisling', 'Eimear', 'Bríd'],
    m: ['Ciaran', 'Declan', 'Padraig', 'Seamus', 'Cian', 'Oisin', 'Eoin', 'Liam', 'Donal', 'Fergal', 'Cathal', 'Ronan', 'Tadhg', 'Diarmuid', 'Colm', 'Brendan', 'Eamon', 'Conor'],
    s: [
      "O'Brien", "O'Sullivan", "O'Connor", "O'Neill", 'Byrne', 'Doyle', 'Kavanagh', 'Fitzgerald', 'Gallagher',
      'McCarthy', 'Quinn', 'Nolan', 'Keane', 'Donnelly', 'Murphy', 'Kelly', 'Walsh', 'Ryan', 'Brennan', 'Lynch',
      'Mac Giolla Phádraig', 'Ó Sé', 'Ní Bhriain', 'McGuinness', 'Breathnach', 'Ó Murchú', 'Moriarty', 'Cullinane',
    ],
  },
  hispanic: {
    id: 'hispanic',
    rare: false,
    f: ['Maria', 'Guadalupe', 'Rosa', 'Ana', 'Lucia', 'Carmen', 'Sofia', 'Valentina', 'Ximena', 'Marisol', 'Yesenia', 'Alejandra', 'Dolores', 'Esperanza', 'Itzel', 'Consuelo'],
    m: ['José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Jesús', 'Alejandro', 'Francisco', 'Javier', 'Mateo', 'Santiago', 'Rafael', 'Ángel', 'Joaquín', 'Efraín'],
    s: [
      'Garcia', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Perez', 'Sanchez', 'Ramirez', 'Torres',
      'Flores', 'Rivera', 'Gomez', 'Diaz', 'Reyes', 'Cruz', 'Morales', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos',
      'Castillo', 'Jiménez', 'de la Cruz', 'de León', 'del Río', 'Villanueva', 'Esparza', 'Zamora', 'Quintanilla', 'Ibarra',
      'Peña', 'Núñez', 'Ochoa', 'Cervantes',
    ],
  },
  westafrican: {
    id: 'westafrican',
    rare: true,
    f: ['Adaeze', 'Chiamaka', 'Ngozi', 'Oluwaseun', 'Folake', 'Funmilayo', 'Temitope', 'Ifeoma', 'Chinwe', 'Yetunde', 'Abimbola', 'Nkechi', 'Abena', 'Akosua', 'Efua', 'Adwoa', 'Ama', 'Chidinma'],
    m: ['Chukwuemeka', 'Oluwadamilare', 'Babatunde', 'Obinna', 'Ikenna', 'Olusegun', 'Adebayo', 'Chidi', 'Tunde', 'Kelechi', 'Emeka', 'Femi', 'Kwame', 'Kofi', 'Kwabena', 'Yaw', 'Kojo', 'Nnamdi'],
    s: [
      'Okafor', 'Adeyemi', 'Okonkwo', 'Nwosu', 'Oyelaran', 'Eze', 'Chukwu', 'Balogun', 'Ogunleye', 'Onyekachi',
      'Oladipo', 'Akinola', 'Ibekwe', 'Olawale', 'Mensah', 'Asante', 'Owusu', 'Boateng', 'Appiah', 'Osei', 'Agyeman',
      'Darko', 'Adebayo-Williams', 'Nwachukwu', 'Obi', 'Uzoma',
    ],
  },
  eastafrican: {
    id: 'eastafrican',
    rare: true,
    f: ['Wanjiru', 'Akinyi', 'Amina', 'Hodan', 'Fadumo', 'Tigist', 'Selamawit', 'Meron', 'Nyokabi', 'Halima', 'Ayan', 'Hiwot'],
    m: ['Otieno', 'Kipchoge', 'Abdirahman', 'Abdullahi', 'Tesfaye', 'Dawit', 'Mekonnen', 'Omondi', 'Mohamud', 'Yonas', 'Kiprono', 'Said'],
    s: ['Mwangi', 'Odhiambo', 'Kamau', 'Warsame', 'Farah', 'Abdi', 'Hassan', 'Gebremedhin', 'Haile', 'Tadesse', 'Njoroge', 'Wekesa', 'Jama', 'Girma', 'Ochieng'],
  },
  southasian: {
    id: 'southasian',
    rare: true,
    f: [
      'Priya', 'Ananya', 'Lakshmi', 'Deepika', 'Kavitha', 'Shreya', 'Nusrat', 'Farzana', 'Rukhsana', 'Harpreet',
      'Gurpreet', 'Manjit', 'Sunita', 'Meenakshi', 'Aishwarya', 'Tahmina', 'Nilufar', 'Pooja', 'Divya', 'Rekha',
      'Shabnam', 'Anjali', 'Sangeetha', 'Bhavna', 'Parminder', 'Savitri',
    ],
    m: [
      'Rajesh', 'Arjun', 'Vikram', 'Sanjay', 'Venkatesh', 'Suresh', 'Rahul', 'Imran', 'Tariq', 'Faisal', 'Harjit',
      'Gurdeep', 'Mohinder', 'Aravind', 'Karthik', 'Anil', 'Ramesh', 'Abhishek', 'Nikhil', 'Shahid', 'Rizwan',
      'Balwinder', 'Prakash', 'Naveen', 'Dinesh', 'Saurabh',
    ],
    s: [
      'Patel', 'Sharma', 'Gupta', 'Singh', 'Kaur', 'Iyer', 'Venkataraman', 'Subramanian', 'Krishnamurthy', 'Reddy',
      'Nair', 'Menon', 'Chatterjee', 'Banerjee', 'Mukherjee', 'Rahman', 'Chowdhury', 'Hossain', 'Khan', 'Qureshi',
      'Malik', 'Sandhu', 'Dhillon', 'Gill', 'Bhattacharya', 'Pillai', 'Rao', 'Deshpande', 'Kulkarni', 'Joshi',
      'Fernando', 'Perera', 'Jayasuriya', 'Wickramasinghe', 'Agarwal', 'Saxena', 'Trivedi', 'Choudhary', 'Bose',
      'Ganguly', 'Hegde', 'Shetty', 'Naidu', 'Ahluwalia', 'Grewal',
    ],
  },
  eastasian: {
    id: 'eastasian',
    rare: true,
    f: ['Mei', 'Xiu Ying', 'Li Na', 'Jing', 'Yan', 'Hui Min', 'Xiaoling', 'Ji-woo', 'Seo-yeon', 'Min-ji', 'Hye-jin', 'Yuki', 'Haruka', 'Aiko', 'Keiko', 'Sakura', 'Emi'],
    m: ['Wei', 'Jian', 'Hao', 'Jun', 'Zhi Hao', 'Tao', 'Qiang', 'Min-jun', 'Seung-ho', 'Ji-hoon', 'Dong-hyun', 'Jae-won', 'Hiroshi', 'Takeshi', 'Kenji', 'Daisuke', 'Haruto'],
    s: [
      'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Guo',
      'Lin', 'Ng', 'Chan', 'Wong', 'Cheung', 'Leung', 'Tsang', 'Lau', 'Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang',
      'Yoon', 'Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Matsumoto',
    ],
  },
  seasian: {
    id: 'seasian',
    rare: true,
    f: ['Ngoc Anh', 'Mai', 'Linh', 'Huong', 'Thuy', 'Maricel', 'Rowena', 'Jocelyn', 'Marites', 'Lorna', 'Analyn', 'Siti', 'Nurul'],
    m: ['Minh', 'Tuan', 'Duc', 'Quang', 'Hung', 'Rodel', 'Romeo', 'Ferdinand', 'Reynaldo', 'Jericho', 'Arnel', 'Budi'],
    s: [
      'Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Phan', 'Vu', 'Dang', 'Bui', 'Ngo', 'Duong', 'Santos', 'dela Cruz',
      'del Rosario', 'Bautista', 'Mendoza', 'Aquino', 'Macaraeg', 'Dimaculangan', 'Pangilinan', 'Magbanua',
      'Tolentino', 'Santoso', 'Wijaya',
    ],
  },
  arabic: {
    id: 'arabic',
    rare: true,
    f: ['Fatima', 'Aisha', 'Mariam', 'Layla', 'Noor', 'Rania', 'Yasmin', 'Huda', 'Salma', 'Zainab', 'Elif', 'Zeynep', 'Ayşe', 'Shirin', 'Parisa', 'Nasrin', 'Roya'],
    m: ['Mohammed', 'Ahmed', 'Omar', 'Yousef', 'Khalid', 'Hamza', 'Ibrahim', 'Mustafa', 'Karim', 'Mehmet', 'Emre', 'Dariush', 'Reza', 'Behrouz', 'Kaveh', 'Bilal'],
    s: [
      'Al-Farsi', 'Al-Rashid', 'El-Sayed', 'Haddad', 'Mansour', 'Nasser', 'Abdullah', 'Hamdan', 'Khoury', 'Saleh',
      'Aziz', 'Al Hashimi', 'Abu-Shakra', 'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Öztürk', 'Hosseini', 'Rezaei', 'Ahmadi',
      'Karimi', 'Tehrani', 'Moradi', 'Bin Hamdan',
    ],
  },
  european: {
    id: 'european',
    rare: true,
    f: [
      'Agnieszka', 'Katarzyna', 'Małgorzata', 'Olena', 'Oksana', 'Iryna', 'Ioana', 'Andreea', 'Zsófia', 'Milena',
      'Jelena', 'Eleni', 'Despina', 'Giulia', 'Francesca', 'Chiara', 'Beatriz', 'Inês', 'Anneke', 'Sanne', 'Liesbeth',
      'Élodie', 'Amélie', 'Brigitte', 'Heike', 'Shira', 'Tamar', 'Rivka',
    ],
    m: [
      'Krzysztof', 'Wojciech', 'Tomasz', 'Mykola', 'Oleksandr', 'Dmytro', 'Bogdan', 'Vasile', 'Miroslav', 'Dragan',
      'Georgios', 'Dimitrios', 'Konstantinos', 'Giuseppe', 'Salvatore', 'Luca', 'João', 'Tiago', 'Joost', 'Pieter',
      'Maarten', 'Jürgen', 'Klaus', 'Étienne', 'Jean-Luc', 'Pierre-Yves', 'Hendrik', 'Eitan', 'Yosef', 'Moshe',
    ],
    s: [
      'Kowalski', 'Nowak', 'Wiśniewska', 'Wójcik', 'Lewandowski', 'Kamińska', 'Kovalenko', 'Shevchenko', 'Bondarenko',
      'Popescu', 'Ionescu', 'Petrović', 'Jovanović', 'Horváth', 'Nagy', 'Dvořák', 'Papadopoulos', 'Konstantinidis',
      'Georgiou', 'Russo', 'Esposito', 'De Luca', 'Di Stefano', 'Lo Bianco', 'Ferreira', 'dos Santos', 'da Silva',
      'Gonçalves', 'van der Berg', 'van Dijk', 'de Vries', 'van den Heuvel', 'ter Horst', 'von Essen', 'von Bülow',
      'Müller', 'Schäfer', 'de la Fontaine', 'Le Roux', 'du Plessis', 'Lefèvre', 'Dubois', 'Van Wyk', 'Cohen',
      'Mizrahi', 'Friedman', 'Ben-David', 'Rosenbaum',
    ],
  },
  pacific: {
    id: 'pacific',
    rare: true,
    f: ['Aroha', 'Mere', 'Ngaio', 'Kiri', 'Hine', 'Moana', 'Losa', 'Mele', 'Sina', 'Marama', 'Anahera', 'Salote'],
    m: ['Tāne', 'Wiremu', 'Rawiri', 'Hemi', 'Manaia', 'Sione', 'Tevita', 'Sefa', 'Ioane', 'Nikau', 'Tamati', 'Viliami'],
    s: ['Ngata', 'Parata', 'Tawhiri', 'Te Whata', 'Tuhiwai', 'Te Rangi', 'Paewai', 'Tuilagi', 'Fonoti', 'Fifita', 'Taufa', 'Tupou', 'Faleolo', 'Leota', 'Aumua', 'Te Huia', 'Rangihuna'],
  },
};

type Country = 'US' | 'UK' | 'CA' | 'AU' | 'IE' | 'NZ' | 'IN';

const CULTURE_MIX: Record<Country, readonly (readonly [string, number])[]> = {
  US: [['anglo', 50], ['irish', 5], ['hispanic', 17], ['westafrican', 4], ['eastafrican', 3], ['southasian', 6], ['eastasian', 6], ['seasian', 4], ['arabic', 3], ['european', 4]],
  UK: [['anglo', 55], ['irish', 8], ['westafrican', 6], ['eastafrican', 4], ['southasian', 12], ['eastasian', 4], ['seasian', 2], ['arabic', 4], ['european', 7], ['hispanic', 1]],
  CA: [['anglo', 45], ['irish', 8], ['european', 12], ['eastasian', 10], ['southasian', 10], ['seasian', 5], ['arabic', 4], ['westafrican', 3], ['hispanic', 3]],
  AU: [['anglo', 52], ['irish', 8], ['european', 10], ['eastasian', 10], ['seasian', 8], ['southasian', 6], ['pacific', 3], ['arabic', 3]],
  IE: [['irish', 50], ['anglo', 25], ['european', 12], ['westafrican', 5], ['southasian', 5], ['eastasian', 3]],
  NZ: [['anglo', 50], ['irish', 5], ['pacific', 20], ['eastasian', 8], ['southasian', 7], ['european', 6], ['seasian', 4]],
  IN: [['southasian', 94], ['anglo', 2], ['arabic', 4]],
};

type Sex = 'F' | 'M';

interface Person {
  first: string;
  middle: string | null;
  last: string;
  sex: Sex;
  title: string;
  rare: boolean;
}

function makePerson(r: Rng, c: Country, sex: Sex, opts: { title?: string; last?: string; culture?: string; dot: boolean } = { dot: false }): Person {
  const cid = opts.culture ?? r.weighted(CULTURE_MIX[c]);
  const cul = CULTURES[cid] ?? CULTURES['anglo'];
  if (!cul) throw new Error('no culture');
  const firstPool = sex === 'F' ? cul.f : cul.m;
  const first = r.pick(firstPool);
  let middle: string | null = null;
  if (cid === 'seasian' && r.chance(0.3)) middle = sex === 'F' ? 'Thi' : 'Van';
  else if (r.chance(0.28)) {
    const m = r.pick(firstPool);
    if (m !== first) middle = m;
  }
  let last = opts.last ?? r.pick(cul.s);
  if (!opts.last) {
    if (cid === 'hispanic' && r.chance(0.15)) last = last + ' ' + r.pick(cul.s);
    else if (r.chance(0.06)) {
      const other = r.pick((CULTURES[r.weighted(CULTURE_MIX[c])] ?? cul).s);
      if (other !== last && !other.includes(' ') && !last.includes(' ')) last = r.chance(0.5) ? `${last}-${other}` : `${other}-${last}`;
    }
  }
  const dot = opts.dot ? '.' : '';
  let title = opts.title ?? '';
  if (!opts.title) {
    if (sex === 'M') title = 'Mr' + dot;
    else title = r.weighted([['Mrs' + dot, 4], ['Ms' + dot, 4], ['Miss', 2]]);
  }
  return { first, middle, last, sex, title, rare: cul.rare };
}

type NameStyle =
  | 'first_last'
  | 'first_middle_last'
  | 'first_mi_last'
  | 'initial_last'
  | 'initials_last'
  | 'title_last'
  | 'title_first_last'
  | 'title_initial_last'
  | 'last_comma_first'
  | 'last_comma_first_mi'
  | 'caps_last_comma_first'
  | 'caps_full'
  | 'first_only'
  | 'last_only'
  | 'possessive_title_last'
  | 'possessive_first'
  | 'last_first_caps_compact';

const initial = (s: string, dot: boolean): string => {
  const parts = s.split(/[\s-]+/).filter(Boolean);
  return parts.map((p) => p.charAt(0).toUpperCase() + (dot ? '.' : '')).join(dot ? '' : '');
};

/** Render a person's name; titles and possessive endings stay outside the planted span. */
function nameP(p: Person, style: NameStyle, fmt?: string): Piece {
  const N = (v: string): PlantPiece => P('NAME', fmt ?? style, v);
  const mid = p.middle;
  switch (style) {
    case 'first_last':
      return N(`${p.first} ${p.last}`);
    case 'first_middle_last':
      return N(mid ? `${p.first} ${mid} ${p.last}` : `${p.first} ${p.last}`);
    case 'first_mi_last':
      return N(mid ? `${p.first} ${initial(mid, true)} ${p.last}` : `${p.first} ${p.last}`);
    case 'initial_last':
      return N(`${initial(p.first, true)} ${p.last}`);
    case 'initials_last':
      return N(mid ? `${initial(p.first, true)}${initial(mid, true)} ${p.last}` : `${initial(p.first, false)} ${p.last}`);
    case 'title_last':
      return [p.title + ' ', N(p.last)];
    case 'title_first_last':
      return [p.title + ' ', N(`${p.first} ${p.last}`)];
    case 'title_initial_last':
      return [p.title + ' ', N(`${initial(p.first, true)} ${p.last}`)];
    case 'last_comma_first':
      return N(`${p.last}, ${p.first}`);
    case 'last_comma_first_mi':
      return N(mid ? `${p.last}, ${p.first} ${initial(mid, false)}` : `${p.last}, ${p.first}`);
    case 'caps_last_comma_first':
      return N(mid && p.first.length < 9 ? `${p.last.toUpperCase()}, ${p.first} ${initial(mid, false)}` : `${p.last.toUpperCase()}, ${p.first}`);
    case 'caps_full':
      return N(`${p.first} ${p.last}`.toUpperCase());
    case 'last_first_caps_compact':
      return N(`${p.last.toUpperCase()},${p.first.toUpperCase()}`);
    case 'first_only':
      return N(p.first);
    case 'last_only':
      return N(p.last);
    case 'possessive_title_last':
      return [p.title + ' ', N(p.last), "'s"];
    case 'possessive_first':
      return [N(p.first), p.first.endsWith('s') ? "'" : "'s"];
  }
}

/** A generic name mention in running text. */
const PROSE_STYLES: readonly (readonly [NameStyle, number])[] = [
  ['first_last', 5],
  ['title_last', 5],
  ['first_middle_last', 1],
  ['title_first_last', 2],
  ['initial_last', 1],
];

/* ------------------------------------------------------------------------ */
/* Geography                                                                 */
/* ------------------------------------------------------------------------ */

interface Town {
  n: string;
  /** state / province / region label (never planted) */
  r: string;
  /** postcode seed: US zip3, UK area letters, CA first letter, AU/NZ postcode, IE routing key, IN pin3 */
  pc: string;
  /** telephone area code / STD code */
  tel: string;
  /** UK postcode district range */
  dr?: readonly [number, number];
  /** districts / suburbs / localities */
  loc?: readonly string[];
  /** IE county, NZ city for a suburb */
  co?: string;
}

const US_TOWNS: readonly Town[] = [
  { n: 'Springfield', r: 'IL', pc: '627', tel: '217' }, { n: 'Columbus', r: 'OH', pc: '432', tel: '614' },
  { n: 'Tucson', r: 'AZ', pc: '857', tel: '520' }, { n: 'Boise', r: 'ID', pc: '837', tel: '208' },
  { n: 'Albany', r: 'NY', pc: '122', tel: '518' }, { n: 'Brooklyn', r: 'NY', pc: '112', tel: '718' },
  { n: 'Austin', r: 'TX', pc: '787', tel: '512' }, { n: 'Houston', r: 'TX', pc: '770', tel: '713' },
  { n: 'Fresno', r: 'CA', pc: '937', tel: '559' }, { n: 'Oakland', r: 'CA', pc: '946', tel: '510' },
  { n: 'Portland', r: 'OR', pc: '972', tel: '503' }, { n: 'Tacoma', r: 'WA', pc: '984', tel: '253' },
  { n: 'Denver', r: 'CO', pc: '802', tel: '720' }, { n: 'Omaha', r: 'NE', pc: '681', tel: '402' },
  { n: 'Tulsa', r: 'OK', pc: '741', tel: '918' }, { n: 'Memphis', r: 'TN', pc: '381', tel: '901' },
  { n: 'Savannah', r: 'GA', pc: '314', tel: '912' }, { n: 'Tampa', r: 'FL', pc: '336', tel: '813' },
  { n: 'Raleigh', r: 'NC', pc: '276', tel: '919' }, { n: 'Richmond', r: 'VA', pc: '232', tel: '804' },
  { n: 'Baltimore', r: 'MD', pc: '212', tel: '410' }, { n: 'Newark', r: 'NJ', pc: '071', tel: '973' },
  { n: 'Hartford', r: 'CT', pc: '061', tel: '860' }, { n: 'Worcester', r: 'MA', pc: '016', tel: '508' },
  { n: 'Burlington', r: 'VT', pc: '054', tel: '802' }, { n: 'Madison', r: 'WI', pc: '537', tel: '608' },
  { n: 'Duluth', r: 'MN', pc: '558', tel: '218' }, { n: 'Flint', r: 'MI', pc: '485', tel: '810' },
  { n: 'Dayton', r: 'OH', pc: '454', tel: '937' }, { n: 'Lexington', r: 'KY', pc: '405', tel: '859' },
  { n: 'Little Rock', r: 'AR', pc: '722', tel: '501' }, { n: 'Baton Rouge', r: 'LA', pc: '708', tel: '225' },
  { n: 'Albuquerque', r: 'NM', pc: '871', tel: '505' }, { n: 'Reno', r: 'NV', pc: '895', tel: '775' },
  { n: 'Anchorage', r: 'AK', pc: '995', tel: '907' }, { n: 'Honolulu', r: 'HI', pc: '968', tel: '808' },
  { n: 'Des Moines', r: 'IA', pc: '503', tel: '515' }, { n: 'Wichita', r: 'KS', pc: '672', tel: '316' },
  { n: 'Fargo', r: 'ND', pc: '581', tel: '701' }, { n: 'Sioux Falls', r: 'SD', pc: '571', tel: '605' },
  { n: 'Billings', r: 'MT', pc: '591', tel: '406' }, { n: 'Provo', r: 'UT', pc: '846', tel: '801' },
  { n: 'Charleston', r: 'SC', pc: '294', tel: '843' }, { n: 'Pittsburgh', r: 'PA', pc: '152', tel: '412' },
  { n: 'Scranton', r: 'PA', pc: '185', tel: '570' }, { n: 'Florence', r: 'AL', pc: '356', tel: '256' },
  { n: 'Jackson', r: 'MS', pc: '392', tel: '601' }, { n: 'Lincoln', r: 'NE', pc: '685', tel: '402' },
  { n: 'Eugene', r: 'OR', pc: '974', tel: '541' }, { n: 'Tyler', r: 'TX', pc: '757', tel: '903' },
  { n: 'Marion', r: 'OH', pc: '433', tel: '740' }, { n: 'Warren', r: 'MI', pc: '480', tel: '586' },
  { n: 'Chicago', r: 'IL', pc: '606', tel: '312' }, { n: 'Boston', r: 'MA', pc: '021', tel: '617' },
  { n: 'San Antonio', r: 'TX', pc: '782', tel: '210' }, { n: 'Cleveland', r: 'OH', pc: '441', tel: '216' },
];

const UK_TOWNS: readonly Town[] = [
  { n: 'London', r: '', pc: 'SE', tel: '020', dr: [1, 28], loc: ['Peckham', 'Lewisham', 'Deptford', 'Catford', 'Eltham'] },
  { n: 'London', r: '', pc: 'E', tel: '020', dr: [1, 18], loc: ['Walthamstow', 'Hackney', 'Leyton', 'Stratford', 'Bow'] },
  { n: 'London', r: '', pc: 'SW', tel: '020', dr: [2, 20], loc: ['Tooting', 'Brixton', 'Balham', 'Streatham'] },
  { n: 'London', r: '', pc: 'N', tel: '020', dr: [1, 22], loc: ['Tottenham', 'Holloway', 'Finsbury Park'] },
  { n: 'Leeds', r: 'West Yorkshire', pc: 'LS', tel: '0113', dr: [1, 29], loc: ['Headingley', 'Chapel Allerton', 'Armley', 'Harehills'] },
  { n: 'Manchester', r: '', pc: 'M', tel: '0161', dr: [1, 40], loc: ['Didsbury', 'Moss Side', 'Levenshulme', 'Chorlton'] },
  { n: 'Birmingham', r: 'West Midlands', pc: 'B', tel: '0121', dr: [1, 45], loc: ['Moseley', 'Handsworth', 'Sparkhill', 'Erdington'] },
  { n: 'Glasgow', r: '', pc: 'G', tel: '0141', dr: [1, 84], loc: ['Partick', 'Govanhill', 'Shettleston', 'Dennistoun'] },
  { n: 'Edinburgh', r: '', pc: 'EH', tel: '0131', dr: [1, 17], loc: ['Leith', 'Morningside', 'Portobello'] },
  { n: 'Liverpool', r: 'Merseyside', pc: 'L', tel: '0151', dr: [1, 36], loc: ['Anfield', 'Toxteth', 'Walton'] },
  { n: 'Sheffield', r: 'South Yorkshire', pc: 'S', tel: '0114', dr: [1, 36], loc: ['Crookes', 'Hillsborough', 'Darnall'] },
  { n: 'Bristol', r: '', pc: 'BS', tel: '0117', dr: [1, 16], loc: ['Bedminster', 'Easton', 'Clifton'] },
  { n: 'Cardiff', r: '', pc: 'CF', tel: '029', dr: [3, 24], loc: ['Canton', 'Splott', 'Roath'] },
  { n: 'Belfast', r: 'County Antrim', pc: 'BT', tel: '028', dr: [1, 17] },
  { n: 'Newcastle upon Tyne', r: 'Tyne and Wear', pc: 'NE', tel: '0191', dr: [1, 15], loc: ['Heaton', 'Jesmond', 'Byker'] },
  { n: 'Nottingham', r: '', pc: 'NG', tel: '0115', dr: [1, 11] }, { n: 'Leicester', r: '', pc: 'LE', tel: '0116', dr: [1, 5] },
  { n: 'Norwich', r: 'Norfolk', pc: 'NR', tel: '01603', dr: [1, 14] }, { n: 'Exeter', r: 'Devon', pc: 'EX', tel: '01392', dr: [1, 6] },
  { n: 'Oxford', r: '', pc: 'OX', tel: '01865', dr: [1, 4] }, { n: 'Cambridge', r: '', pc: 'CB', tel: '01223', dr: [1, 5] },
  { n: 'York', r: '', pc: 'YO', tel: '01904', dr: [10, 32] }, { n: 'Brighton', r: 'East Sussex', pc: 'BN', tel: '01273', dr: [1, 3] },
  { n: 'Swansea', r: '', pc: 'SA', tel: '01792', dr: [1, 7] }, { n: 'Aberdeen', r: '', pc: 'AB', tel: '01224', dr: [10, 25] },
  { n: 'Inverness', r: '', pc: 'IV', tel: '01463', dr: [1, 3] }, { n: 'Truro', r: 'Cornwall', pc: 'TR', tel: '01872', dr: [1, 4] },
  { n: 'Hull', r: '', pc: 'HU', tel: '01482', dr: [1, 9] }, { n: 'Bradford', r: '', pc: 'BD', tel: '01274', dr: [1, 10] },
  { n: 'Stoke-on-Trent', r: 'Staffordshire', pc: 'ST', tel: '01782', dr: [1, 6] }, { n: 'Reading', r: '', pc: 'RG', tel: '0118', dr: [1, 6] },
  { n: 'Milton Keynes', r: '', pc: 'MK', tel: '01908', dr: [1, 15] }, { n: 'Luton', r: '', pc: 'LU', tel: '01582', dr: [1, 4] },
  { n: 'Wolverhampton', r: '', pc: 'WV', tel: '01902', dr: [1, 11] }, { n: 'Plymouth', r: 'Devon', pc: 'PL', tel: '01752', dr: [1, 9] },
  { n: 'Derby', r: '', pc: 'DE', tel: '01332', dr: [1, 24] }, { n: 'Southampton', r: 'Hampshire', pc: 'SO', tel: '023', dr: [14, 19] },
  { n: 'Lincoln', r: '', pc: 'LN', tel: '01522', dr: [1, 6] }, { n: 'Carlisle', r: 'Cumbria', pc: 'CA', tel: '01228', dr: [1, 3] },
  { n: 'Bath', r: '', pc: 'BA', tel: '01225', dr: [1, 2] }, { n: 'Chester', r: '', pc: 'CH', tel: '01244', dr: [1, 4] },
  { n: 'Durham', r: 'County Durham', pc: 'DH', tel: '0191', dr: [1, 7] }, { n: 'Wigan', r: '', pc: 'WN', tel: '01942', dr: [1, 6] },
  { n: 'Bolton', r: '', pc: 'BL', tel: '01204', dr: [1, 7] }, { n: 'Dundee', r: '', pc: 'DD', tel: '01382', dr: [1, 5] },
  { n: 'Wrexham', r: '', pc: 'LL', tel: '01978', dr: [11, 14] }, { n: 'Harrogate', r: 'North Yorkshire', pc: 'HG', tel: '01423', dr: [1, 3] },
];

const CA_TOWNS: readonly Town[] = [
  { n: 'Toronto', r: 'ON', pc: 'M', tel: '416' }, { n: 'Ottawa', r: 'ON', pc: 'K', tel: '613' },
  { n: 'Hamilton', r: 'ON', pc: 'L', tel: '905' }, { n: 'London', r: 'ON', pc: 'N', tel: '519' },
  { n: 'Winnipeg', r: 'MB', pc: 'R', tel: '204' }, { n: 'Regina', r: 'SK', pc: 'S', tel: '306' },
  { n: 'Saskatoon', r: 'SK', pc: 'S', tel: '306' }, { n: 'Calgary', r: 'AB', pc: 'T', tel: '403' },
  { n: 'Edmonton', r: 'AB', pc: 'T', tel: '780' }, { n: 'Vancouver', r: 'BC', pc: 'V', tel: '604' },
  { n: 'Victoria', r: 'BC', pc: 'V', tel: '250' }, { n: 'Kelowna', r: 'BC', pc: 'V', tel: '250' },
  { n: 'Halifax', r: 'NS', pc: 'B', tel: '902' }, { n: 'Moncton', r: 'NB', pc: 'E', tel: '506' },
  { n: "St. John's", r: 'NL', pc: 'A', tel: '709' }, { n: 'Charlottetown', r: 'PE', pc: 'C', tel: '902' },
  { n: 'Montréal', r: 'QC', pc: 'H', tel: '514' }, { n: 'Québec', r: 'QC', pc: 'G', tel: '418' },
  { n: 'Sherbrooke', r: 'QC', pc: 'J', tel: '819' }, { n: 'Whitehorse', r: 'YT', pc: 'Y', tel: '867' },
  { n: 'Yellowknife', r: 'NT', pc: 'X', tel: '867' }, { n: 'Thunder Bay', r: 'ON', pc: 'P', tel: '807' },
  { n: 'Sudbury', r: 'ON', pc: 'P', tel: '705' }, { n: 'Kingston', r: 'ON', pc: 'K', tel: '613' },
  { n: 'Windsor', r: 'ON', pc: 'N', tel: '519' }, { n: 'Guelph', r: 'ON', pc: 'N', tel: '519' },
  { n: 'Mississauga', r: 'ON', pc: 'L', tel: '905' }, { n: 'Surrey', r: 'BC', pc: 'V', tel: '604' },
];

const AU_TOWNS: readonly Town[] = [
  { n: 'Parramatta', r: 'NSW', pc: '2150', tel: '02' }, { n: 'Newtown', r: 'NSW', pc: '2042', tel: '02' },
  { n: 'Wollongong', r: 'NSW', pc: '2500', tel: '02' }, { n: 'Newcastle', r: 'NSW', pc: '2300', tel: '02' },
  { n: 'Blacktown', r: 'NSW', pc: '2148', tel: '02' }, { n: 'Dubbo', r: 'NSW', pc: '2830', tel: '02' },
  { n: 'Footscray', r: 'VIC', pc: '3011', tel: '03' }, { n: 'Geelong', r: 'VIC', pc: '3220', tel: '03' },
  { n: 'Ballarat', r: 'VIC', pc: '3350', tel: '03' }, { n: 'Brunswick', r: 'VIC', pc: '3056', tel: '03' },
  { n: 'Dandenong', r: 'VIC', pc: '3175', tel: '03' }, { n: 'Toowong', r: 'QLD', pc: '4066', tel: '07' },
  { n: 'Cairns', r: 'QLD', pc: '4870', tel: '07' }, { n: 'Townsville', r: 'QLD', pc: '4810', tel: '07' },
  { n: 'Toowoomba', r: 'QLD', pc: '4350', tel: '07' }, { n: 'Southport', r: 'QLD', pc: '4215', tel: '07' },
  { n: 'Fremantle', r: 'WA', pc: '6160', tel: '08' }, { n: 'Joondalup', r: 'WA', pc: '6027', tel: '08' },
  { n: 'Glenelg', r: 'SA', pc: '5045', tel: '08' }, { n: 'Elizabeth', r: 'SA', pc: '5112', tel: '08' },
  { n: 'Hobart', r: 'TAS', pc: '7000', tel: '03' }, { n: 'Launceston', r: 'TAS', pc: '7250', tel: '03' },
  { n: 'Darwin', r: 'NT', pc: '0800', tel: '08' }, { n: 'Alice Springs', r: 'NT', pc: '0870', tel: '08' },
  { n: 'Belconnen', r: 'ACT', pc: '2617', tel: '02' }, { n: 'Tuggeranong', r: 'ACT', pc: '2900', tel: '02' },
];

const NZ_TOWNS: readonly Town[] = [
  { n: 'Ponsonby', co: 'Auckland', r: '', pc: '1011', tel: '09' }, { n: 'Otahuhu', co: 'Auckland', r: '', pc: '1062', tel: '09' },
  { n: 'Manurewa', co: 'Auckland', r: '', pc: '2102', tel: '09' }, { n: 'Mangere', co: 'Auckland', r: '', pc: '2022', tel: '09' },
  { n: 'Newtown', co: 'Wellington', r: '', pc: '6021', tel: '04' }, { n: 'Karori', co: 'Wellington', r: '', pc: '6012', tel: '04' },
  { n: 'Riccarton', co: 'Christchurch', r: '', pc: '8011', tel: '03' }, { n: 'Sydenham', co: 'Christchurch', r: '', pc: '8023', tel: '03' },
  { n: 'Hamilton East', co: 'Hamilton', r: '', pc: '3216', tel: '07' }, { n: 'Mount Maunganui', co: 'Tauranga', r: '', pc: '3116', tel: '07' },
  { n: 'Roslyn', co: 'Dunedin', r: '', pc: '9010', tel: '03' }, { n: 'Hokowhitu', co: 'Palmerston North', r: '', pc: '4410', tel: '06' },
  { n: 'Taradale', co: 'Napier', r: '', pc: '4112', tel: '06' }, { n: 'Stoke', co: 'Nelson', r: '', pc: '7011', tel: '03' },
  { n: 'Glengarry', co: 'Invercargill', r: '', pc: '9810', tel: '03' }, { n: 'Ngongotaha', co: 'Rotorua', r: '', pc: '3010', tel: '07' },
  { n: 'Kensington', co: 'Whangārei', r: '', pc: '0112', tel: '09' }, { n: 'Kaiti', co: 'Gisborne', r: '', pc: '4010', tel: '06' },
];

const IE_TOWNS: readonly Town[] = [
  { n: 'Dublin 8', co: 'Dublin', r: '', pc: 'D08', tel: '01' }, { n: 'Rathmines', co: 'Dublin', r: '', pc: 'D06', tel: '01' },
  { n: 'Tallaght', co: 'Dublin', r: '', pc: 'D24', tel: '01' }, { n: 'Swords', co: 'Dublin', r: '', pc: 'K67', tel: '01' },
  { n: 'Cork', co: 'Cork', r: '', pc: 'T12', tel: '021' }, { n: 'Ballincollig', co: 'Cork', r: '', pc: 'P31', tel: '021' },
  { n: 'Galway', co: 'Galway', r: '', pc: 'H91', tel: '091' }, { n: 'Limerick', co: 'Limerick', r: '', pc: 'V94', tel: '061' },
  { n: 'Waterford', co: 'Waterford', r: '', pc: 'X91', tel: '051' }, { n: 'Kilkenny', co: 'Kilkenny', r: '', pc: 'R95', tel: '056' },
  { n: 'Sligo', co: 'Sligo', r: '', pc: 'F91', tel: '071' }, { n: 'Letterkenny', co: 'Donegal', r: '', pc: 'F92', tel: '074' },
  { n: 'Dundalk', co: 'Louth', r: '', pc: 'A91', tel: '042' }, { n: 'Drogheda', co: 'Louth', r: '', pc: 'A92', tel: '041' },
  { n: 'Athlone', co: 'Westmeath', r: '', pc: 'N37', tel: '090' }, { n: 'Tralee', co: 'Kerry', r: '', pc: 'V92', tel: '066' },
  { n: 'Ennis', co: 'Clare', r: '', pc: 'V95', tel: '065' }, { n: 'Navan', co: 'Meath', r: '', pc: 'C15', tel: '046' },
  { n: 'Wexford', co: 'Wexford', r: '', pc: 'Y35', tel: '053' }, { n: 'Castlebar', co: 'Mayo', r: '', pc: 'F23', tel: '094' },
];

const IN_TOWNS: readonly Town[] = [
  { n: 'Bengaluru', r: 'Karnataka', pc: '560', tel: '080', loc: ['Indiranagar', 'Koramangala', 'Jayanagar', 'Malleswaram', 'HSR Layout', 'Whitefield'] },
  { n: 'Mumbai', r: 'Maharashtra', pc: '400', tel: '022', loc: ['Andheri East', 'Bandra West', 'Dadar', 'Chembur', 'Borivali West'] },
  { n: 'Pune', r: 'Maharashtra', pc: '411', tel: '020', loc: ['Kothrud', 'Aundh', 'Hadapsar', 'Baner'] },
  { n: 'Chennai', r: 'Tamil Nadu', pc: '600', tel: '044', loc: ['T. Nagar', 'Adyar', 'Mylapore', 'Anna Nagar', 'Velachery'] },
  { n: 'Hyderabad', r: 'Telangana', pc: '500', tel: '040', loc: ['Banjara Hills', 'Kukatpally', 'Secunderabad', 'Madhapur'] },
  { n: 'Kolkata', r: 'West Bengal', pc: '700', tel: '033', loc: ['Salt Lake', 'Ballygunge', 'Behala', 'Dum Dum'] },
  { n: 'New Delhi', r: 'Delhi', pc: '110', tel: '011', loc: ['Lajpat Nagar', 'Malviya Nagar', 'Dwarka', 'Rohini', 'Karol Bagh'] },
  { n: 'Jaipur', r: 'Rajasthan', pc: '302', tel: '0141', loc: ['Malviya Nagar', 'Vaishali Nagar', 'Mansarovar'] },
  { n: 'Lucknow', r: 'Uttar Pradesh', pc: '226', tel: '0522', loc: ['Gomti Nagar', 'Aliganj', 'Indira Nagar'] },
  { n: 'Kochi', r: 'Kerala', pc: '682', tel: '0484', loc: ['Kakkanad', 'Edappally', 'Vyttila', 'Kaloor'] },
  { n: 'Ahmedabad', r: 'Gujarat', pc: '380', tel: '079', loc: ['Navrangpura', 'Satellite', 'Maninagar'] },
  { n: 'Chandigarh', r: 'Chandigarh', pc: '160', tel: '0172', loc: ['Sector 22', 'Sector 35'] },
  { n: 'Bhopal', r: 'Madhya Pradesh', pc: '462', tel: '0755', loc: ['Arera Colony', 'Kolar Road'] },
  { n: 'Patna', r: 'Bihar', pc: '800', tel: '0612', loc: ['Kankarbagh', 'Boring Road', 'Rajendra Nagar'] },
];

const TOWNS: Record<Country, readonly Town[]> = { US: US_TOWNS, UK: UK_TOWNS, CA: CA_TOWNS, AU: AU_TOWNS, NZ: NZ_TOWNS, IE: IE_TOWNS, IN: IN_TOWNS };

const STREET_STEMS = [
  'Maple', 'Oak', 'Elm', 'Cedar', 'Birch', 'Willow', 'Chestnut', 'Hawthorn', 'Rowan', 'Station', 'Church', 'Mill',
  'Victoria', 'Albert', "Queen's", 'Park', 'Green', 'Bridge', 'School', 'Orchard', 'Meadow', 'Riverside', 'Highfield',
  'Grange', 'Manor', 'Beech', 'Ash', 'Poplar', 'Sycamore', 'Jubilee', 'Coronation', 'Windsor', 'Balmoral', 'Gladstone',
  'Nelson', 'Wellington', 'Pine', 'Hillcrest', 'Lakeview', 'Sunset', 'Magnolia', 'Juniper', 'Aspen', 'Heritage',
  'Canal', 'Ferry', 'Quarry', 'Foundry', 'Abbey', 'Priory', 'Castle', 'Moor', 'Glen', 'Cromwell', 'Fairview', 'Kingfisher',
  'Heron', 'Lark', 'Primrose', 'Bluebell', 'Foxglove', 'Oakwood', 'Greenwood', 'Ashgrove', 'Lindsay', 'Harrington',
];
const US_STEMS = ['Washington', 'Jefferson', 'Franklin', 'Madison', 'Monroe', 'Lincoln', 'Dogwood', 'Pecan', 'Mesquite', 'Sequoia', 'Cottonwood', 'Prairie', 'Bluebonnet', 'Peachtree', 'Lake Shore'];
const AU_STEMS = ['Banksia', 'Wattle', 'Jacaranda', 'Bottlebrush', 'Waratah', 'Grevillea', 'Kurrajong', 'Bunya', 'Coolabah', 'Boronia'];
const NZ_STEMS = ['Kowhai', 'Rimu', 'Totara', 'Pohutukawa', 'Kauri', 'Tui', 'Matai', 'Karaka', 'Puriri', 'Titoki'];
const IE_STEMS = ["St Patrick's", 'Ard na Gréine', 'Cnoc na Rí', 'Bóthar an Chaisleáin', 'Fairgreen', 'Friary', 'Ballymun', 'Old Mallow'];
const CA_FR_STEMS = ['Saint-Denis', 'Sherbrooke', 'des Érables', 'Laurier', 'Saint-Laurent', 'de la Montagne', 'Papineau'];
const IN_BUILDINGS = ['Sai Krupa Apartments', 'Prestige Lakeside', 'Shanti Niwas', 'Green Valley Residency', 'Lotus Enclave', 'Gokul Dham Society', 'Sunrise Towers', 'Ganga Heights'];

const US_SUFFIX = ['Ave', 'St', 'Blvd', 'Dr', 'Ln', 'Ct', 'Rd', 'Way', 'Pkwy', 'Terrace', 'Circle', 'Pl', 'Avenue', 'Street', 'Drive', 'Road', 'Lane'];
const UK_SUFFIX = ['Road', 'Street', 'Lane', 'Close', 'Crescent', 'Avenue', 'Gardens', 'Drive', 'Grove', 'Terrace', 'Mews', 'Way', 'Place', 'Court', 'Rise', 'Walk', 'View'];
const AU_SUFFIX = ['Street', 'Road', 'Avenue', 'Crescent', 'Parade', 'Place', 'Court', 'Drive', 'Terrace', 'Esplanade', 'St', 'Rd', 'Ave', 'Cres'];
const NZ_SUFFIX = ['Street', 'Road', 'Avenue', 'Crescent', 'Place', 'Terrace', 'Drive', 'Grove'];
const IE_SUFFIX = ['Road', 'Street', 'Avenue', 'Park', 'Grove', 'Lawn', 'Heights', 'Drive', 'Close', 'Court'];
const UK_HOUSE_NAMES = ['Rose Cottage', 'The Old Rectory', 'Ty Gwyn', 'Hillside House', 'The Willows', 'Orchard End', 'Bramble Cottage', 'Fernlea', 'Glenview', 'The Coach House'];

interface Addr {
  country: Country;
  /** extra leading line (UK house name, IN building) */
  pre: Id | null;
  street: Id;
  locality: Id | null;
  town: Id;
  region: string;
  county: Id | null;
  post: Id | null;
  townRaw: Town;
}

const UKPC_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const CAPC_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';

function ukPostcode(r: Rng, t: Town): string {
  const [lo, hi] = t.dr ?? [1, 9];
  return `${t.pc}${r.int(lo, hi)} ${r.int(0, 9)}${r.letters(2, UKPC_LETTERS)}`;
}

function caPostal(r: Rng, t: Town): string {
  return `${t.pc}${r.int(0, 9)}${r.letters(1, CAPC_LETTERS)} ${r.int(0, 9)}${r.letters(1, CAPC_LETTERS)}${r.int(0, 9)}`;
}

function eircode(r: Rng, t: Town): string {
  const tail = r.letters(1, 'ACDEFHKNPRTVWXY') + r.int(0, 9) + r.letters(1, 'ACDEFHKNPRTVWXY0123456789') + r.letters(1, 'ACDEFHKNPRTVWXY0123456789');
  return `${t.pc} ${tail}`;
}

function streetNum(r: Rng): number {
  return r.weighted([[r.int(1, 99), 5], [r.int(100, 999), 3], [r.int(1000, 19999), 2]]);
}

function makeAddr(r: Rng, c: Country, town?: Town): Addr {
  const t = town ?? r.pick(TOWNS[c]);
  const cc = c.toLowerCase();
  let pre: Id | null = null;
  let locality: Id | null = null;
  let county: Id | null = null;
  let post: Id | null = null;
  let street: Id;
  let townId: Id = { v: t.n, f: `${cc}_town` };
  const region = t.r;
  switch (c) {
    case 'US': {
      const stem = r.chance(0.3) ? r.pick(US_STEMS) : r.pick(STREET_STEMS);
      const dir = r.chance(0.2) ? r.pick(['N ', 'S ', 'E ', 'W ', 'NE ', 'SW ', 'N. ', 'W. ']) : '';
      const numbered = r.chance(0.12);
      const base = numbered
        ? `${streetNum(r)} ${dir}${nth(r.int(1, 99))} ${r.pick(['St', 'Ave', 'Street'])}`
        : `${streetNum(r)} ${dir}${stem} ${r.pick(US_SUFFIX)}`;
      const k = r.weighted([['plain', 6], ['apt', 3], ['po', 1], ['suite', 1]] as const);
      if (k === 'po') street = { v: `${r.pick(['PO Box', 'P.O. Box', 'P O Box'])} ${r.int(1, 9999)}`, f: 'us_po_box' };
      else if (k === 'apt') {
        const unit = r.pick(['Apt', 'Apt.', 'Unit', '#']);
        street = { v: `${base}${r.pick([', ', ' ', ' '])}${unit}${unit === '#' && r.chance(0.5) ? '' : ' '}${r.int(1, 40)}${r.pick(['', 'A', 'B', 'C', 'F'])}`, f: 'us_street_unit' };
      }
      else if (k === 'suite') street = { v: `${base}, Suite ${r.int(100, 950)}`, f: 'us_street_unit' };
      else street = { v: base, f: 'us_street' };
      const zip = t.pc + r.digits(2);
      post = r.chance(0.3) ? { v: `${zip}-${r.digits(4)}`, f: 'us_zip4' } : { v: zip, f: 'us_zip5' };
      townId = { v: t.n, f: 'us_city' };
      break;
    }
    case 'UK': {
      const base = `${r.int(1, 240)} ${r.pick(STREET_STEMS)} ${r.pick(UK_SUFFIX)}`;
      const k = r.weighted([['plain', 6], ['flat', 3], ['house', 1]] as const);
      if (k === 'flat') street = { v: `${r.pick(['Flat', 'Flat', 'Apartment'])} ${r.int(1, 30)}${r.pick(['', '', 'A', 'B'])}, ${base}`, f: 'uk_flat_street' };
      else if (k === 'house') {
        pre = { v: r.pick(UK_HOUSE_NAMES), f: 'uk_house_name' };
        street = { v: `${r.pick(STREET_STEMS)} ${r.pick(['Lane', 'Road', 'Hill', 'Row'])}`, f: 'uk_street' };
      } else street = { v: base, f: 'uk_street' };
      if (t.loc && r.chance(0.45)) locality = { v: r.pick(t.loc), f: 'uk_locality' };
      post = { v: ukPostcode(r, t), f: 'uk_postcode' };
      if (r.chance(0.25)) townId = { v: t.n.toUpperCase(), f: 'uk_town_caps' };
      break;
    }
    case 'CA': {
      const fr = t.r === 'QC' && r.chance(0.7);
      const base = fr
        ? `${streetNum(r)}, ${r.pick(['rue', 'boulevard', 'avenue', 'chemin'])} ${r.pick(CA_FR_STEMS)}`
        : `${streetNum(r)} ${r.pick(STREET_STEMS)} ${r.pick(['St', 'Ave', 'Rd', 'Dr', 'Cres', 'Blvd', 'Street', 'Avenue', 'Way'])}${r.chance(0.15) ? ' ' + r.pick(['N', 'E', 'W', 'SW', 'NW']) : ''}`;
      if (r.chance(0.3)) street = { v: fr ? `${base}, app. ${r.int(1, 40)}` : `${r.chance(0.5) ? `${r.int(101, 2405)}-` : `Unit ${r.int(1, 40)}, `}${base}`, f: 'ca_street_unit' };
      else street = { v: base, f: 'ca_street' };
      post = { v: caPostal(r, t), f: 'ca_postal' };
      townId = { v: t.n, f: 'ca_city' };
      break;
    }
    case 'AU': {
      const base = `${r.int(1, 250)} ${r.chance(0.4) ? r.pick(AU_STEMS) : r.pick(STREET_STEMS)} ${r.pick(AU_SUFFIX)}`;
      const k = r.weighted([['plain', 6], ['unit', 3], ['po', 1]] as const);
      if (k === 'unit') street = { v: r.chance(0.5) ? `${r.int(1, 24)}/${base}` : `Unit ${r.int(1, 24)}, ${base}`, f: 'au_unit_street' };
      else if (k === 'po') street = { v: `${r.pick(['PO Box', 'Locked Bag', 'PO Box'])} ${r.int(1, 2999)}`, f: 'au_po_box' };
      else street = { v: base, f: 'au_street' };
      post = { v: t.pc, f: 'au_postcode' };
      townId = r.chance(0.5) ? { v: t.n.toUpperCase(), f: 'au_suburb_caps' } : { v: t.n, f: 'au_suburb' };
      break;
    }
    case 'NZ': {
      const base = `${r.int(1, 220)} ${r.chance(0.5) ? r.pick(NZ_STEMS) : r.pick(STREET_STEMS)} ${r.pick(NZ_SUFFIX)}`;
      const k = r.weighted([['plain', 6], ['flat', 3], ['rd', 1]] as const);
      if (k === 'flat') street = { v: r.chance(0.5) ? `Flat ${r.int(1, 12)}, ${base}` : `${r.int(1, 9)}${r.pick(['A', 'B', 'C'])}/${base}`, f: 'nz_flat_street' };
      else if (k === 'rd') street = { v: `${r.int(10, 999)} ${r.pick(NZ_STEMS)} Road, RD ${r.int(1, 9)}`, f: 'nz_rural_street' };
      else street = { v: base, f: 'nz_street' };
      locality = { v: t.n, f: 'nz_suburb' };
      townId = { v: t.co ?? t.n, f: 'nz_city' };
      post = { v: t.pc, f: 'nz_postcode' };
      break;
    }
    case 'IE': {
      const stem = r.chance(0.3) ? r.pick(IE_STEMS) : r.pick(STREET_STEMS);
      const k = r.weighted([['plain', 6], ['apt', 2], ['estate', 2]] as const);
      if (k === 'apt') street = { v: `Apartment ${r.int(1, 60)}, ${stem} ${r.pick(['House', 'Court', 'Square'])}`, f: 'ie_apartment' };
      else if (k === 'estate') street = { v: `${r.int(1, 120)} ${stem} ${r.pick(['Park', 'Lawn', 'Heights', 'Grove', 'Close'])}`, f: 'ie_street' };
      else street = { v: stem.includes(' ') && r.chance(0.5) ? `${r.int(1, 80)} ${stem}` : `${r.int(1, 80)} ${stem} ${r.pick(IE_SUFFIX)}`, f: 'ie_street' };
      county = { v: t.co ?? t.n, f: 'ie_county' };
      post = { v: eircode(r, t), f: 'ie_eircode' };
      break;
    }
    case 'IN': {
      pre = r.chance(0.6)
        ? { v: `${r.pick(['Flat No.', 'Flat', 'House No.', '#'])} ${r.int(1, 9)}${r.pick(['0', '1', '2'])}${r.int(1, 9)}, ${r.pick(IN_BUILDINGS)}`, f: 'in_building' }
        : { v: `${r.pick(['H.No.', 'Door No.', 'Plot No.'])} ${r.int(1, 400)}${r.pick(['', '/A', '-B', '/2'])}`, f: 'in_building' };
      street = { v: r.pick([`${nth(r.int(1, 18))} Cross, ${nth(r.int(1, 9))} Main`, `${r.pick(['MG', 'Nehru', 'Gandhi', 'Station', 'Temple', 'Ring'])} Road`, `${r.pick(['Tilak', 'Patel', 'Shastri', 'Ambedkar'])} Marg`, `Sector ${r.int(2, 60)}`, `${nth(r.int(1, 12))} Main Road`]), f: 'in_street' };
      if (t.loc) locality = { v: r.pick(t.loc), f: 'in_locality' };
      townId = { v: t.n, f: 'in_city' };
      post = { v: `${t.pc}${r.digits(3)}`, f: 'in_pin' };
      break;
    }
  }
  return { country: c, pre, street, locality, town: townId, region, county, post, townRaw: t };
}

const nth = (n: number): string => `${n}${ordSuffix(n)}`;

function ordSuffix(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  switch (n % 10) {
    case 1: return 'st';
    case 2: return 'nd';
    case 3: return 'rd';
    default: return 'th';
  }
}

const A = (id: Id): PlantPiece => P('ADDRESS', id.f, id.v);

/** Address as a list of lines (each line a piece list). */
function addrLines(a: Addr): Piece[][] {
  const L: Piece[][] = [];
  if (a.pre) L.push([A(a.pre)]);
  switch (a.country) {
    case 'US':
      L.push([A(a.street)]);
      L.push([A(a.town), `, ${a.region} `, a.post ? A(a.post) : '']);
      break;
    case 'CA':
      L.push([A(a.street)]);
      L.push([A(a.town), ` ${a.region}  `, a.post ? A(a.post) : '']);
      break;
    case 'AU':
      L.push([A(a.street)]);
      L.push([A(a.town), ` ${a.region} `, a.post ? A(a.post) : '']);
      break;
    case 'UK':
      L.push([A(a.street)]);
      if (a.locality) L.push([A(a.locality)]);
      L.push([A(a.town)]);
      if (a.post) L.push([A(a.post)]);
      break;
    case 'NZ':
      L.push([A(a.street)]);
      if (a.locality) L.push([A(a.locality)]);
      L.push([A(a.town), ' ', a.post ? A(a.post) : '']);
      break;
    case 'IE':
      L.push([A(a.street)]);
      if (a.town.v !== a.county?.v) L.push([A(a.town)]);
      if (a.county) L.push([a.county.v.startsWith('Dublin') ? '' : 'Co. ', A(a.county)]);
      if (a.post) L.push([A(a.post)]);
      break;
    case 'IN':
      L.push([A(a.street)]);
      if (a.locality) L.push([A(a.locality)]);
      L.push([A(a.town), ' - ', a.post ? A(a.post) : '']);
      L.push([a.region]);
      break;
  }
  return L;
}

/** Address on one line, comma separated. */
function addrInline(a: Addr): Piece[] {
  switch (a.country) {
    case 'US':
    case 'CA':
    case 'AU':
      return [a.pre ? [A(a.pre), ', '] : '', A(a.street), ', ', A(a.town), `, ${a.region} `, a.post ? A(a.post) : ''];
    case 'UK':
      return [a.pre ? [A(a.pre), ', '] : '', A(a.street), ', ', a.locality ? [A(a.locality), ', '] : '', A(a.town), a.post ? [' ', A(a.post)] : ''];
    case 'NZ':
      return [A(a.street), ', ', a.locality ? [A(a.locality), ', '] : '', A(a.town), ' ', a.post ? A(a.post) : ''];
    case 'IE':
      return [
        A(a.street), ', ',
        a.town.v !== a.county?.v ? [A(a.town), ', '] : '',
        a.county ? [a.county.v.startsWith('Dublin') ? '' : 'Co. ', A(a.county)] : '',
        a.post ? [', ', A(a.post)] : '',
      ];
    case 'IN':
      return [a.pre ? [A(a.pre), ', '] : '', A(a.street), ', ', a.locality ? [A(a.locality), ', '] : '', A(a.town), ' ', a.post ? A(a.post) : '', `, ${a.region}`];
  }
}

function addrBlock(d: Builder, a: Addr, indent = ''): void {
  for (const ln of addrLines(a)) d.line(indent, ln);
}

/** Town as it would be mentioned in prose ("moved to Leeds"). */
function townProse(a: Addr): PlantPiece {
  if (a.country === 'NZ' && a.locality && a.town.v !== a.locality.v) return A({ v: a.townRaw.co ?? a.town.v, f: 'nz_city' });
  if (a.country === 'UK' || a.country === 'AU') return A({ v: a.townRaw.n, f: `${a.country.toLowerCase()}_town_prose` });
  return A({ v: a.townRaw.n, f: `${a.country.toLowerCase()}_town_prose` });
}

/* ------------------------------------------------------------------------ */
/* Phones                                                                    */
/* ------------------------------------------------------------------------ */

const US_AREAS = ['312', '617', '415', '206', '503', '720', '512', '404', '305', '919', '614', '215', '412', '813', '702', '801', '216', '585', '734', '414'];
const CA_AREAS = ['416', '647', '613', '604', '778', '403', '780', '514', '438', '902', '204', '306', '709', '905', '519'];

function nanp(r: Rng, c: 'US' | 'CA', area: string | null): Id {
  const a = area ?? r.pick(c === 'US' ? US_AREAS : CA_AREAS);
  const fict = r.chance(0.4);
  const ex = fict ? '555' : `${r.int(2, 9)}${r.digits(2)}`;
  const ln = fict ? `01${r.digits(2)}` : r.digits(4);
  const cc = c.toLowerCase();
  const f = r.weighted([['paren', 4], ['dash', 3], ['dot', 1], ['intl', 1], ['intl_dash', 1], ['one_dash', 1], ['plain', 0.5], ['paren_tight', 0.5]] as const);
  switch (f) {
    case 'paren': return { v: `(${a}) ${ex}-${ln}`, f: `${cc}_paren` };
    case 'paren_tight': return { v: `(${a})${ex}-${ln}`, f: `${cc}_paren` };
    case 'dash': return { v: `${a}-${ex}-${ln}`, f: `${cc}_dash` };
    case 'dot': return { v: `${a}.${ex}.${ln}`, f: `${cc}_dot` };
    case 'intl': return { v: `+1 ${a} ${ex} ${ln}`, f: `${cc}_intl` };
    case 'intl_dash': return { v: `+1-${a}-${ex}-${ln}`, f: `${cc}_intl` };
    case 'one_dash': return { v: `1-${a}-${ex}-${ln}`, f: `${cc}_one_dash` };
    case 'plain': return { v: `${a}${ex}${ln}`, f: `${cc}_plain` };
  }
}

function ukLocalRest(r: Rng, area: string): string {
  if (area.length === 3) return r.chance(0.4) ? `7946 ${r.digits(4)}` : `${r.int(2, 8)}${r.digits(3)} ${r.digits(4)}`;
  if (area.length === 4) return r.chance(0.4) ? `496 ${r.digits(4)}` : `${r.int(2, 9)}${r.digits(2)} ${r.digits(4)}`;
  return r.chance(0.5) ? `${r.int(2, 9)}${r.digits(5)}` : `${r.int(2, 9)}${r.digits(2)} ${r.digits(3)}`;
}

function phoneId(r: Rng, c: Country, kind: 'mobile' | 'land', t?: Town): Id {
  switch (c) {
    case 'US':
    case 'CA':
      return nanp(r, c, kind === 'land' && t ? t.tel : null);
    case 'UK': {
      if (kind === 'mobile') {
        const pre = r.chance(0.35) ? '7700' : `7${r.int(3, 9)}${r.digits(2)}`;
        const rest = pre === '7700' ? `900${r.digits(3)}` : r.digits(6);
        const f = r.weighted([['m', 5], ['m33', 2], ['intl', 2], ['intl0', 1], ['plain', 1]] as const);
        if (f === 'm') return { v: `0${pre} ${rest}`, f: 'uk_mobile' };
        if (f === 'm33') return { v: `0${pre} ${rest.slice(0, 3)} ${rest.slice(3)}`, f: 'uk_mobile' };
        if (f === 'intl') return { v: `+44 ${pre} ${rest}`, f: 'uk_mobile_intl' };
        if (f === 'intl0') return { v: `+44 (0)${pre} ${rest}`, f: 'uk_mobile_intl' };
        return { v: `0${pre}${rest}`, f: 'uk_mobile_plain' };
      }
      const area = t?.tel ?? r.pick(['020', '0113', '0161', '0121', '01632', '0131', '029']);
      const rest = ukLocalRest(r, area);
      const f = r.weighted([['l', 6], ['paren', 2], ['intl', 1], ['intl0', 1]] as const);
      if (f === 'l') return { v: `${area} ${rest}`, f: 'uk_landline' };
      if (f === 'paren') return { v: `(${area}) ${rest}`, f: 'uk_landline' };
      if (f === 'intl') return { v: `+44 ${area.slice(1)} ${rest}`, f: 'uk_landline_intl' };
      return { v: `+44 (0)${area.slice(1)} ${rest}`, f: 'uk_landline_intl' };
    }
    case 'AU': {
      if (kind === 'mobile') {
        const n = `4${r.digits(2)}`;
        const a = r.digits(3);
        const b = r.digits(3);
        const f = r.weighted([['m', 5], ['intl', 2], ['plain', 1]] as const);
        if (f === 'm') return { v: `0${n} ${a} ${b}`, f: 'au_mobile' };
        if (f === 'intl') return { v: `+61 ${n} ${a} ${b}`, f: 'au_mobile_intl' };
        return { v: `0${n}${a}${b}`, f: 'au_mobile' };
      }
      const area = t?.tel ?? r.pick(['02', '03', '07', '08']);
      const a = `${r.int(3, 9)}${r.digits(3)}`;
      const b = r.digits(4);
      const f = r.weighted([['paren', 4], ['l', 3], ['intl', 1]] as const);
      if (f === 'paren') return { v: `(${area}) ${a} ${b}`, f: 'au_landline' };
      if (f === 'l') return { v: `${area} ${a} ${b}`, f: 'au_landline' };
      return { v: `+61 ${area.slice(1)} ${a} ${b}`, f: 'au_landline_intl' };
    }
    case 'IE': {
      if (kind === 'mobile') {
        const p = r.pick(['83', '85', '86', '87', '89']);
        const a = r.digits(3);
        const b = r.digits(4);
        const f = r.weighted([['m', 5], ['intl', 2], ['paren', 1]] as const);
        if (f === 'm') return { v: `0${p} ${a} ${b}`, f: 'ie_mobile' };
        if (f === 'paren') return { v: `(0${p}) ${a} ${b}`, f: 'ie_mobile' };
        return { v: `+353 ${p} ${a} ${b}`, f: 'ie_mobile_intl' };
      }
      const area = t?.tel ?? '01';
      const rest = area === '01' ? `${r.int(2, 9)}${r.digits(2)} ${r.digits(4)}` : `${r.int(2, 9)}${r.digits(1)} ${r.digits(4)}`;
      const f = r.weighted([['paren', 3], ['l', 3], ['intl', 1]] as const);
      if (f === 'paren') return { v: `(${area}) ${rest}`, f: 'ie_landline' };
      if (f === 'l') return { v: `${area} ${rest}`, f: 'ie_landline' };
      return { v: `+353 ${area.slice(1)} ${rest}`, f: 'ie_landline_intl' };
    }
    case 'NZ': {
      if (kind === 'mobile') {
        const p = r.pick(['21', '22', '27', '29', '20']);
        const a = r.digits(3);
        const b = r.digits(r.chance(0.8) ? 4 : 3);
        const f = r.weighted([['m', 5], ['intl', 2]] as const);
        if (f === 'm') return { v: `0${p} ${a} ${b}`, f: 'nz_mobile' };
        return { v: `+64 ${p} ${a} ${b}`, f: 'nz_mobile_intl' };
      }
      const area = t?.tel ?? '09';
      const a = `${r.int(2, 9)}${r.digits(2)}`;
      const b = r.digits(4);
      const f = r.weighted([['paren', 3], ['l', 3], ['intl', 1]] as const);
      if (f === 'paren') return { v: `(${area}) ${a} ${b}`, f: 'nz_landline' };
      if (f === 'l') return { v: `${area} ${a} ${b}`, f: 'nz_landline' };
      return { v: `+64 ${area.slice(1)} ${a} ${b}`, f: 'nz_landline_intl' };
    }
    case 'IN': {
      if (kind === 'mobile') {
        const n = `${r.int(6, 9)}${r.digits(9)}`;
        const f = r.weighted([['intl', 4], ['split', 3], ['dash', 2], ['zero', 1]] as const);
        if (f === 'intl') return { v: `+91 ${n.slice(0, 5)} ${n.slice(5)}`, f: 'in_mobile_intl' };
        if (f === 'split') return { v: `${n.slice(0, 5)} ${n.slice(5)}`, f: 'in_mobile' };
        if (f === 'dash') return { v: `+91-${n}`, f: 'in_mobile_intl' };
        return { v: `0${n}`, f: 'in_mobile' };
      }
      const std = t?.tel ?? '080';
      const len = std.length === 3 ? 8 : 7;
      const local = `${r.int(2, 6)}${r.digits(len - 1)}`;
      const f = r.weighted([['sp', 3], ['dash', 3], ['intl', 1]] as const);
      if (f === 'sp') return { v: `${std} ${local.slice(0, len - 4)} ${local.slice(len - 4)}`, f: 'in_landline' };
      if (f === 'dash') return { v: `${std}-${local}`, f: 'in_landline' };
      return { v: `+91 ${std.slice(1)} ${local.slice(0, len - 4)} ${local.slice(len - 4)}`, f: 'in_landline_intl' };
    }
  }
}

function intlOtherPhone(r: Rng): Id {
  const v = r.pick([
    `+234 ${r.pick(['803', '806', '813', '705'])} ${r.digits(3)} ${r.digits(4)}`,
    `+63 ${r.pick(['917', '918', '927'])} ${r.digits(3)} ${r.digits(4)}`,
    `+48 ${r.int(5, 8)}${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`,
    `+92 3${r.digits(2)} ${r.digits(7)}`,
    `+880 1${r.int(3, 9)}${r.digits(2)}-${r.digits(6)}`,
    `+27 ${r.pick(['82', '83', '72'])} ${r.digits(3)} ${r.digits(4)}`,
    `+852 ${r.int(5, 9)}${r.digits(3)} ${r.digits(4)}`,
    `+1 876 ${r.int(2, 9)}${r.digits(2)} ${r.digits(4)}`,
    `+254 7${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`,
    `+33 6 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  ]);
  return { v, f: 'intl_other' };
}

function withExt(r: Rng, id: Id, c: Country): Id {
  const ext = String(r.int(100, 9999));
  const sep = c === 'US' || c === 'CA' ? r.pick([' ext. ', ' x', ' ext ', ' Ext. ']) : r.pick([' ext ', ' ext. ', ' extn ', ' Ext: ']);
  return { v: id.v + sep + ext, f: `${c.toLowerCase()}_ext` };
}

/* ------------------------------------------------------------------------ */
/* E-mail, web, network                                                      */
/* ------------------------------------------------------------------------ */

const MAIL_DOMAINS: Record<Country, readonly string[]> = {
  US: ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'comcast.net', 'verizon.net', 'protonmail.com', 'att.net'],
  UK: ['gmail.com', 'btinternet.com', 'yahoo.co.uk', 'hotmail.co.uk', 'sky.com', 'virginmedia.com', 'talktalk.net', 'outlook.com', 'icloud.com'],
  CA: ['gmail.com', 'rogers.com', 'shaw.ca', 'sympatico.ca', 'hotmail.ca', 'videotron.ca', 'outlook.com'],
  AU: ['gmail.com', 'bigpond.com', 'optusnet.com.au', 'outlook.com.au', 'hotmail.com', 'iinet.net.au'],
  IE: ['gmail.com', 'eircom.net', 'hotmail.com', 'yahoo.ie', 'outlook.ie', 'icloud.com'],
  NZ: ['gmail.com', 'xtra.co.nz', 'hotmail.co.nz', 'orcon.net.nz', 'outlook.com'],
  IN: ['gmail.com', 'rediffmail.com', 'yahoo.co.in', 'outlook.com', 'hotmail.com'],
};

function slug(s: string): string {
  return stripAccents(s).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function emailLocal(r: Rng, p: Person, yob: number): string {
  const f = slug(p.first);
  const l = slug(p.last);
  const fam = p.sex === 'F' ? ['nana', 'granny', 'mum', 'the', 'real', 'its'] : ['grandpa', 'papa', 'dad', 'the', 'real', 'its'];
  return r.pick([
    `${f}.${l}`, `${f}${l}`, `${f.charAt(0)}${l}`, `${f}_${l}`, `${f}${l}${r.int(1, 99)}`, `${f}.${l}${yob}`,
    `${l}.${f}`, `${f.charAt(0)}.${l}${String(yob).slice(2)}`, `${f}${String(yob).slice(2)}`, `${r.pick(fam)}${f}${r.int(1, 9)}`,
  ]);
}

function emailId(r: Rng, p: Person, c: Country, yob: number, allowObf: boolean): Id {
  const local = emailLocal(r, p, yob);
  const host = r.pick(MAIL_DOMAINS[c]);
  if (allowObf && r.chance(0.35)) {
    const dom = host.split('.');
    const k = r.weighted([['brackets', 3], ['words', 2], ['paren', 2], ['caps', 1], ['dotbracket', 1]] as const);
    switch (k) {
      case 'brackets': return { v: `${local} [at] ${dom.join(' [dot] ')}`, f: 'obf_brackets' };
      case 'words': return { v: `${local} at ${dom.join(' dot ')}`, f: 'obf_words' };
      case 'paren': return { v: `${local}(at)${host}`, f: 'obf_paren' };
      case 'caps': return { v: `${local} AT ${dom.join(' DOT ')}`, f: 'obf_caps' };
      case 'dotbracket': return { v: `${local}@${dom.join('[.]')}`, f: 'obf_dot_bracket' };
    }
  }
  return { v: `${local}@${host}`, f: 'plain' };
}

function workEmail(r: Rng, p: Person, domain: string): Id {
  const f = slug(p.first);
  const l = slug(p.last);
  return { v: `${r.pick([`${f}.${l}`, `${f.charAt(0)}.${l}`, `${f.charAt(0)}${l}`, `${l}${f.charAt(0)}`])}@${domain}`, f: 'work' };
}

function personalUrl(r: Rng, p: Person, yob: number, want?: 'social' | 'fund' | 'blog'): Id {
  const f = slug(p.first);
  const l = slug(p.last);
  const handle = r.pick([`${f}.${l}`, `${f}${l}${r.int(1, 99)}`, `${f}_${l}`, `${f}${l.charAt(0)}${String(yob).slice(2)}`]);
  const scheme = r.pick(['https://', 'https://www.', '', 'www.', 'http://']);
  const k = want ?? r.weighted([['social', 4], ['fund', 3], ['blog', 2]] as const);
  if (k === 'social') {
    const v = r.pick([
      `facebook.com/${handle}`, `instagram.com/${handle.replace('.', '_')}`, `x.com/${handle.replace('.', '_')}`,
      `twitter.com/${handle.replace('.', '')}`, `linkedin.com/in/${f}-${l}-${r.digits(4)}`, `tiktok.com/@${handle}`,
      `youtube.com/@${handle.replace('.', '')}`, `threads.net/@${handle}`,
    ]);
    return { v: scheme + v, f: 'social_profile' };
  }
  if (k === 'fund') {
    const what = r.pick(['help', 'support', 'team', 'a-new-kidney-for', 'get-well', 'bring-home', 'care-fund-for']);
    const v = r.pick([
      `gofundme.com/f/${what}-${f}-${l}`, `justgiving.com/fundraising/${f}-${l}-${r.int(2, 30)}`,
      `justgiving.com/crowdfunding/${f}${l}`, `caringbridge.org/site/${f}${l}`, `givealittle.co.nz/cause/${what}-${f}`,
      `gofundme.com/f/${f}s-${r.pick(['recovery', 'treatment', 'surgery', 'fight'])}-fund`, `ketto.org/fundraiser/${what}-${f}-${l}`,
    ]);
    return { v: scheme.replace('www.', '') + v, f: 'fundraiser' };
  }
  const v = r.pick([`${f}${l}.wordpress.com`, `${f}-${l}.blogspot.com`, `${f}${l}.com`, `medium.com/@${handle}`, `${f}writes.substack.com`, `www.${l}family.net/${f}`]);
  return { v: (v.startsWith('www.') ? 'https://' : scheme.replace('www.', '')) + v, f: 'personal_blog' };
}

function ipId(r: Rng): Id {
  const k = r.weighted([['v4', 6], ['v6', 2], ['v6full', 1]] as const);
  if (k === 'v4') {
    const first = r.pick([81, 86, 92, 109, 151, 176, 203, 198, 192, 24, 67, 73, 98, 122, 49, 10, 172]);
    const second = first === 192 ? 168 : first === 198 ? r.pick([51, 18]) : r.int(0, 255);
    return { v: `${first}.${second}.${r.int(0, 255)}.${r.int(1, 254)}`, f: 'ipv4' };
  }
  const h = (): string => r.int(0, 0xffff).toString(16);
  if (k === 'v6') return { v: `${r.pick(['2001:db8', '2a02:c7f', '2600:1700', '2405:201', '2a00:23c5'])}:${h()}:${h()}::${h()}`, f: 'ipv6' };
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) parts.push(r.int(0, 0xffff).toString(16).padStart(4, '0'));
  parts[0] = '2a02';
  return { v: parts.join(':'), f: 'ipv6_full' };
}

function macId(r: Rng): Id {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(r.int(0, 255).toString(16).padStart(2, '0').toUpperCase());
  return { v: parts.join(r.pick([':', '-'])), f: 'mac_address' };
}

/* ------------------------------------------------------------------------ */
/* Dates and ages                                                            */
/* ------------------------------------------------------------------------ */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const DAY_MS = 86400000;
const mkDate = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * DAY_MS);

function randDate(r: Rng, from: Date, to: Date): Date {
  const days = Math.floor((to.getTime() - from.getTime()) / DAY_MS);
  return addDays(from, r.int(0, Math.max(0, days)));
}

function ageAt(dob: Date, at: Date): number {
  let a = at.getUTCFullYear() - dob.getUTCFullYear();
  const m = at.getUTCMonth() - dob.getUTCMonth();
  if (m < 0 || (m === 0 && at.getUTCDate() < dob.getUTCDate())) a--;
  return a;
}

type DateFmt =
  | 'mdy_slash' | 'mdy_short' | 'mdy_nopad' | 'mdy_dash' | 'month_d_y' | 'mon_d_y' | 'mon_dot_d_y' | 'weekday_month_d_y'
  | 'dmy_slash' | 'dmy_short' | 'dmy_dot' | 'dmy_dash' | 'd_month_y' | 'ord_month_y' | 'ord_of_month_y' | 'd_mon_y'
  | 'd_mon_y_dash' | 'd_mon_y_dash_caps' | 'weekday_d_month_y' | 'iso' | 'iso_compact'
  | 'month_d' | 'mon_d' | 'month_ord' | 'd_month' | 'ord_month' | 'dm_slash' | 'md_slash' | 'rfc2822' | 'weekday_ord_month' | 'weekday_mon_d';

function fmtDate(d: Date, f: DateFmt): string {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const month = MONTHS[m - 1] ?? '';
  const mon = MON[m - 1] ?? '';
  const wd = WEEKDAYS[d.getUTCDay()] ?? '';
  const yy = pad2(y % 100);
  switch (f) {
    case 'mdy_slash': return `${pad2(m)}/${pad2(day)}/${y}`;
    case 'mdy_short': return `${m}/${day}/${yy}`;
    case 'mdy_nopad': return `${m}/${day}/${y}`;
    case 'mdy_dash': return `${pad2(m)}-${pad2(day)}-${y}`;
    case 'month_d_y': return `${month} ${day}, ${y}`;
    case 'mon_d_y': return `${mon} ${day}, ${y}`;
    case 'mon_dot_d_y': return `${mon === 'May' ? 'May' : mon + '.'} ${day}, ${y}`;
    case 'weekday_month_d_y': return `${wd}, ${month} ${day}, ${y}`;
    case 'dmy_slash': return `${pad2(day)}/${pad2(m)}/${y}`;
    case 'dmy_short': return `${day}/${m}/${yy}`;
    case 'dmy_dot': return `${pad2(day)}.${pad2(m)}.${y}`;
    case 'dmy_dash': return `${pad2(day)}-${pad2(m)}-${y}`;
    case 'd_month_y': return `${day} ${month} ${y}`;
    case 'ord_month_y': return `${day}${ordSuffix(day)} ${month} ${y}`;
    case 'ord_of_month_y': return `${day}${ordSuffix(day)} of ${month} ${y}`;
    case 'd_mon_y': return `${day} ${mon} ${y}`;
    case 'd_mon_y_dash': return `${pad2(day)}-${mon}-${y}`;
    case 'd_mon_y_dash_caps': return `${pad2(day)}-${mon.toUpperCase()}-${y}`;
    case 'weekday_d_month_y': return `${wd} ${day} ${month} ${y}`;
    case 'iso': return `${y}-${pad2(m)}-${pad2(day)}`;
    case 'iso_compact': return `${y}${pad2(m)}${pad2(day)}`;
    case 'month_d': return `${month} ${day}`;
    case 'mon_d': return `${mon} ${day}`;
    case 'month_ord': return `${month} ${day}${ordSuffix(day)}`;
    case 'd_month': return `${day} ${month}`;
    case 'ord_month': return `${day}${ordSuffix(day)} ${month}`;
    case 'dm_slash': return `${day}/${m}`;
    case 'md_slash': return `${m}/${day}`;
    case 'rfc2822': return `${wd.slice(0, 3)}, ${day} ${mon} ${y}`;
    case 'weekday_ord_month': return `${wd} ${day}${ordSuffix(day)} ${month}`;
    case 'weekday_mon_d': return `${wd.slice(0, 3)} ${mon} ${day}`;
  }
}

const DATE_MIX: Record<Country, readonly (readonly [DateFmt, number])[]> = {
  US: [['mdy_slash', 6], ['mdy_short', 2], ['mdy_nopad', 2], ['mdy_dash', 1], ['month_d_y', 3], ['mon_d_y', 2], ['mon_dot_d_y', 1], ['iso', 1], ['d_mon_y_dash_caps', 0.5], ['weekday_month_d_y', 0.5]],
  UK: [['dmy_slash', 6], ['d_month_y', 3], ['ord_month_y', 2], ['d_mon_y', 2], ['dmy_short', 1], ['dmy_dot', 1], ['iso', 0.5], ['d_mon_y_dash', 1], ['weekday_d_month_y', 0.5], ['ord_of_month_y', 0.3]],
  IE: [['dmy_slash', 6], ['d_month_y', 3], ['ord_month_y', 2], ['d_mon_y', 2], ['dmy_short', 1], ['dmy_dot', 0.5], ['iso', 0.5], ['d_mon_y_dash', 1]],
  AU: [['dmy_slash', 6], ['d_month_y', 3], ['ord_month_y', 1], ['d_mon_y', 2], ['dmy_short', 1], ['dmy_dot', 0.5], ['iso', 0.5], ['d_mon_y_dash_caps', 0.5]],
  NZ: [['dmy_slash', 6], ['d_month_y', 3], ['ord_month_y', 1], ['d_mon_y', 2], ['dmy_short', 1], ['dmy_dot', 0.5], ['iso', 0.5]],
  CA: [['iso', 4], ['month_d_y', 2], ['dmy_slash', 1], ['mdy_slash', 1.5], ['d_month_y', 1], ['mon_d_y', 1], ['d_mon_y', 0.5]],
  IN: [['dmy_slash', 5], ['dmy_dash', 3], ['d_mon_y', 2], ['ord_month_y', 1], ['d_month_y', 2], ['dmy_dot', 1], ['d_mon_y_dash', 1]],
};

const DATE_NOYEAR_MIX: Record<'mdy' | 'dmy', readonly (readonly [DateFmt, number])[]> = {
  mdy: [['month_d', 3], ['mon_d', 3], ['month_ord', 1], ['md_slash', 2]],
  dmy: [['d_month', 3], ['ord_month', 2], ['dm_slash', 2], ['month_d', 0.5]],
};

/** AGE rendering styles; the number (or number word) alone is the span */
type AgeStyle = 'year_old' | 'aged' | 'age_label' | 'yo' | 'years_old' | 'turned' | 'words' | 'words_attr' | 'sex_compact' | 'paren';

/* ------------------------------------------------------------------------ */
/* Identifier generators                                                     */
/* ------------------------------------------------------------------------ */

function ssnUS(r: Rng): Id {
  let area = r.int(1, 899);
  if (area === 666) area = 667;
  const a = String(area).padStart(3, '0');
  const g = pad2(r.int(1, 99));
  const s = String(r.int(1, 9999)).padStart(4, '0');
  const f = r.weighted([['dash', 6], ['space', 1], ['plain', 1]] as const);
  if (f === 'dash') return { v: `${a}-${g}-${s}`, f: 'ssn_dash' };
  if (f === 'space') return { v: `${a} ${g} ${s}`, f: 'ssn_space' };
  return { v: `${a}${g}${s}`, f: 'ssn_plain' };
}

function niUK(r: Rng): Id {
  const p = r.letters(1, 'ABCEGHJKLMNOPRSTWXYZ') + r.letters(1, 'ABCEGHJKLMNPRSTWXYZ');
  const d = r.digits(6);
  const s = r.letters(1, 'ABCD');
  return r.chance(0.55) ? { v: `${p} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${s}`, f: 'uk_nino_spaced' } : { v: `${p}${d}${s}`, f: 'uk_nino' };
}

function sinCA(r: Rng): Id {
  const body = r.pick(['1', '2', '3', '4', '5', '6', '7', '9']) + r.digits(7);
  const n = body + String(luhnDigit(body));
  return r.chance(0.7) ? { v: `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, f: 'ca_sin' } : { v: `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, f: 'ca_sin' };
}

function ppsnIE(r: Rng): Id {
  const d = r.digits(7);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (d.charCodeAt(i) - 48) * (8 - i);
  const second = r.chance(0.3) ? 'A' : '';
  if (second) sum += 9 * 1;
  const chk = sum % 23;
  const letter = chk === 0 ? 'W' : String.fromCharCode(64 + chk);
  return { v: `${d}${letter}${second}`, f: 'ie_ppsn' };
}

function aadhaarIN(r: Rng): Id {
  const n = String(r.int(2, 9)) + r.digits(11);
  return r.chance(0.7) ? { v: `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`, f: 'in_aadhaar' } : { v: `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`, f: 'in_aadhaar' };
}

function nationalId(r: Rng, c: Country): Id | null {
  switch (c) {
    case 'US': return ssnUS(r);
    case 'UK': return niUK(r);
    case 'CA': return sinCA(r);
    case 'IE': return ppsnIE(r);
    case 'IN': return aadhaarIN(r);
    default: return null;
  }
}

function nhsNumber(r: Rng): Id {
  for (;;) {
    const d = r.num(9);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
    let chk = 11 - (sum % 11);
    if (chk === 11) chk = 0;
    if (chk === 10) continue;
    const n = d + String(chk);
    const f = r.weighted([['sp', 6], ['plain', 2], ['dash', 1]] as const);
    if (f === 'sp') return { v: `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, f: 'nhs_number' };
    if (f === 'dash') return { v: `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`, f: 'nhs_number' };
    return { v: n, f: 'nhs_number_plain' };
  }
}

const NHI_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
function nhiNZ(r: Rng): Id {
  for (;;) {
    const l = r.letters(3, NHI_LETTERS);
    const d = r.digits(3);
    let sum = 0;
    for (let i = 0; i < 3; i++) sum += (NHI_LETTERS.indexOf(l.charAt(i)) + 1) * (7 - i);
    for (let i = 0; i < 3; i++) sum += (d.charCodeAt(i) - 48) * (4 - i);
    const rem = sum % 11;
    if (rem === 0) continue;
    let chk = 11 - rem;
    if (chk === 10) chk = 0;
    return { v: `${l}${d}${chk}`, f: 'nz_nhi' };
  }
}

function mrnId(r: Rng, c: Country): Id {
  switch (c) {
    case 'US':
    case 'CA': {
      const k = r.weighted([['digits', 5], ['lead0', 2], ['dashed', 2], ['alpha', 2]] as const);
      if (k === 'digits') return { v: r.num(r.int(7, 10)), f: 'mrn_digits' };
      if (k === 'lead0') return { v: '00' + r.digits(r.int(5, 7)), f: 'mrn_digits' };
      if (k === 'dashed') return { v: r.chance(0.5) ? `${r.digits(3)}-${r.digits(2)}-${r.digits(2)}` : `${r.num(4)}-${r.digits(3)}`, f: 'mrn_dashed' };
      return { v: `${r.pick(['M', 'E', 'H', 'MR', 'RX', 'Z'])}${r.digits(r.int(6, 8))}`, f: 'mrn_alpha' };
    }
    case 'UK': {
      const k = r.weighted([['alpha', 4], ['trust', 2], ['digits', 2]] as const);
      if (k === 'alpha') return { v: `${r.letters(1, 'ABDHKMRSTUWXZ')}${r.digits(6)}`, f: 'hospital_number' };
      if (k === 'trust') return { v: `${r.pick(['RTH', 'RX1', 'RWA', 'RJ1', 'RM3', 'RAL'])}${r.digits(7)}`, f: 'hospital_number' };
      return { v: r.digits(r.int(7, 8)), f: 'hospital_number' };
    }
    case 'AU':
      return r.chance(0.6) ? { v: r.num(r.int(6, 8)), f: 'au_urn' } : { v: `${r.pick(['MRN', 'UR'])}${r.digits(7)}`, f: 'au_urn' };
    case 'NZ':
      return nhiNZ(r);
    case 'IE':
      return r.chance(0.7) ? { v: '0' + r.digits(r.int(6, 7)), f: 'mrn_digits' } : { v: `${r.letters(1, 'BCDHKM')}${r.digits(6)}`, f: 'hospital_number' };
    case 'IN': {
      const y = r.int(2015, 2024);
      return r.pick([
        { v: `${r.pick(['MH', 'KA', 'TN', 'DL', 'UHID'])}${y}/${r.digits(6)}`, f: 'in_uhid' },
        { v: `${String(y).slice(2)}${r.digits(2)}-${r.digits(6)}`, f: 'in_uhid' },
        { v: `${r.pick(['OP', 'IP', 'REG'])}/${String(y).slice(2)}/${r.digits(6)}`, f: 'in_reg_no' },
      ]);
    }
  }
}

function encounterId(r: Rng, c: Country, y: number): Id {
  if (c === 'UK' || c === 'IE') return r.chance(0.5) ? { v: `${r.pick(['EP', 'SPELL', 'ADM'])}${r.digits(8)}`, f: 'encounter' } : { v: r.num(8), f: 'encounter' };
  return r.pick([
    { v: `ENC-${y}-${r.digits(7)}`, f: 'encounter' },
    { v: `V${r.digits(8)}`, f: 'encounter' },
    { v: r.num(10), f: 'encounter' },
    { v: `${r.letters(2)}${r.digits(9)}`, f: 'encounter' },
  ]);
}

function accessionId(r: Rng, y: number, prefix: string): Id {
  const yy = String(y).slice(2);
  return r.pick([
    { v: `${prefix}${yy}-${r.digits(5)}`, f: 'accession' },
    { v: `${prefix}${y}${r.digits(6)}`, f: 'accession' },
    { v: `${yy}${prefix}${r.digits(6)}`, f: 'accession' },
    { v: `${r.num(8)}`, f: 'accession' },
  ]);
}

const MBI_L = 'ACDEFGHJKMNPQRTUVWXY';
function mbi(r: Rng): Id {
  const an = (): string => (r.chance(0.5) ? String(r.int(0, 9)) : r.letters(1, MBI_L));
  const v = `${r.int(1, 9)}${r.letters(1, MBI_L)}${an()}${r.int(0, 9)}${r.letters(1, MBI_L)}${an()}${r.int(0, 9)}${r.letters(2, MBI_L)}${r.digits(2)}`;
  return r.chance(0.5) ? { v: `${v.slice(0, 4)}-${v.slice(4, 7)}-${v.slice(7)}`, f: 'mbi' } : { v, f: 'mbi' };
}

function auMedicare(r: Rng): Id {
  const d = String(r.int(2, 6)) + r.digits(7);
  const w = [1, 3, 7, 9, 1, 3, 7, 9];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (d.charCodeAt(i) - 48) * (w[i] ?? 0);
  const n = d + String(sum % 10) + String(r.int(1, 5));
  const irn = String(r.int(1, 6));
  return r.chance(0.6) ? { v: `${n.slice(0, 4)} ${n.slice(4, 9)} ${n.slice(9)}`, f: 'au_medicare' } : { v: `${n}-${irn}`, f: 'au_medicare' };
}

function ramq(r: Rng, p: Person, dob: Date): Id {
  const l = stripAccents(p.last).toUpperCase().replace(/[^A-Z]/g, '').padEnd(3, 'X').slice(0, 3);
  const f = stripAccents(p.first).toUpperCase().charAt(0);
  const mm = dob.getUTCMonth() + 1 + (p.sex === 'F' ? 50 : 0);
  return { v: `${l}${f} ${pad2(dob.getUTCFullYear() % 100)}${pad2(mm)} ${pad2(dob.getUTCDate())}${r.digits(2)}`, f: 'ca_ramq' };
}

/** Health-plan / beneficiary number typical of the country (an ACCOUNT span). */
function insuranceId(r: Rng, c: Country, p: Person, dob: Date, region: string): Id {
  switch (c) {
    case 'US': {
      const k = r.weighted([['member', 5], ['mbi', 2], ['medicaid', 1], ['hicn', 1]] as const);
      if (k === 'mbi') return mbi(r);
      if (k === 'medicaid') return r.chance(0.5) ? { v: `${r.letters(2)}${r.digits(5)}${r.letters(1)}`, f: 'medicaid_id' } : { v: `${r.digits(8)}${r.letters(1)}`, f: 'medicaid_id' };
      if (k === 'hicn') {
        const s = ssnUS(r).v.replace(/\D/g, '');
        return { v: `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}${r.pick(['A', 'B', 'D', 'C1'])}`, f: 'medicare_hicn' };
      }
      return r.pick([
        { v: `${r.letters(3)}${r.digits(9)}`, f: 'member_id' },
        { v: `W${r.digits(9)}`, f: 'member_id' },
        { v: `${r.letters(3)} ${r.digits(4)} ${r.digits(4)}`, f: 'member_id' },
        { v: `${r.num(9)}-${pad2(r.int(1, 4))}`, f: 'member_id' },
      ]);
    }
    case 'CA':
      if (region === 'QC') return ramq(r, p, dob);
      if (region === 'BC') return { v: `9${r.digits(3)} ${r.digits(3)} ${r.digits(3)}`, f: 'ca_health_card' };
      return r.chance(0.6) ? { v: `${r.num(4)}-${r.digits(3)}-${r.digits(3)}-${r.letters(2)}`, f: 'ca_health_card' } : { v: `${r.num(4)} ${r.digits(3)} ${r.digits(3)}`, f: 'ca_health_card' };
    case 'AU':
      return auMedicare(r);
    case 'UK':
      return r.pick([
        { v: `${r.num(8)}`, f: 'private_member' },
        { v: `${r.letters(2)}${r.digits(7)}`, f: 'private_member' },
        { v: `${r.digits(4)} ${r.digits(4)} ${r.digits(2)}`, f: 'private_member' },
      ]);
    case 'IE':
      return r.chance(0.5) ? { v: `${r.digits(7)}${r.letters(1)}`, f: 'ie_medical_card' } : { v: `${r.num(8)}`, f: 'private_member' };
    case 'NZ':
      return { v: `${r.num(8)}`, f: 'private_member' };
    case 'IN':
      return r.chance(0.5) ? { v: `${r.letters(3, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}${r.digits(1)}${r.letters(5, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`, f: 'in_pmjay' } : { v: `${r.digits(5)}/${r.digits(2)}/${r.int(2019, 2025)}/${r.digits(6)}`, f: 'policy' };
  }
}

function accountId(r: Rng, c: Country): Id {
  return r.pick([
    { v: r.num(r.int(8, 10)), f: 'account' },
    { v: `${r.digits(4)}-${r.digits(6)}`, f: 'account' },
    { v: `${r.pick(['BL', 'AC', 'PT', 'HB'])}-${r.digits(7)}`, f: 'billing' },
    { v: `${c === 'IN' ? 'IP/' : 'G'}${r.digits(2)}${c === 'IN' ? '/' : ''}${r.digits(6)}`, f: 'account' },
  ]);
}

function groupId(r: Rng): Id {
  return r.pick([
    { v: r.digits(6), f: 'group' },
    { v: `${r.digits(2)}-${r.digits(5)}`, f: 'group' },
    { v: `GRP${r.digits(5)}`, f: 'group' },
    { v: `${r.letters(1)}${r.digits(6)}`, f: 'group' },
  ]);
}

function policyId(r: Rng, c: Country): Id {
  if (c === 'IN') return { v: `${r.digits(5)}/${r.digits(2)}/${r.int(2019, 2025)}/${r.digits(6)}`, f: 'policy' };
  return r.pick([
    { v: `POL-${r.digits(5)}-${r.digits(2)}`, f: 'policy' },
    { v: `${r.digits(4)} ${r.digits(4)} ${r.digits(2)}`, f: 'policy' },
    { v: `${r.letters(3)}${r.digits(8)}`, f: 'policy' },
    { v: `P${r.digits(9)}`, f: 'policy' },
  ]);
}

function claimId(r: Rng, y: number): Id {
  return r.pick([
    { v: `${y}-${r.digits(4)}-${r.digits(5)}`, f: 'claim' },
    { v: `CLM${r.digits(10)}`, f: 'claim' },
    { v: `${r.letters(2)}${String(y).slice(2)}${r.digits(7)}`, f: 'claim' },
    { v: `${r.num(11)}`, f: 'claim' },
  ]);
}

function bankAccount(r: Rng, c: Country): Id {
  if (c === 'UK') return { v: r.digits(8), f: 'bank_account' };
  if (c === 'IE') return { v: `IE${r.digits(2)} ${r.pick(['AIBK', 'BOFI', 'IPBS'])} ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(2)}`, f: 'iban' };
  if (c === 'AU') return { v: `${r.digits(2)} ${r.digits(3)} ${r.digits(4)}`, f: 'bank_account' };
  if (c === 'IN') return { v: r.num(r.int(11, 14)), f: 'bank_account' };
  return { v: r.num(r.int(9, 12)), f: 'bank_account' };
}

/* licences ---------------------------------------------------------------- */

function driverLicence(r: Rng, c: Country, p: Person, dob: Date, region: string): Id {
  const L = stripAccents(p.last).toUpperCase().replace(/[^A-Z]/g, '');
  const F = stripAccents(p.first).toUpperCase().replace(/[^A-Z]/g, '');
  switch (c) {
    case 'US': {
      switch (region) {
        case 'CA': return { v: `${r.letters(1)}${r.digits(7)}`, f: 'us_dl' };
        case 'NY': return r.chance(0.5) ? { v: `${r.digits(3)} ${r.digits(3)} ${r.digits(3)}`, f: 'us_dl' } : { v: r.digits(9), f: 'us_dl' };
        case 'FL': return { v: `${L.charAt(0)}${r.digits(3)}-${r.digits(3)}-${r.digits(2)}-${r.digits(3)}-${r.digits(1)}`, f: 'us_dl' };
        case 'IL': return { v: `${L.charAt(0)}${r.digits(3)}-${r.digits(4)}-${r.digits(4)}`, f: 'us_dl' };
        case 'WA': return { v: `WDL${r.letters(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`, f: 'us_dl' };
        case 'TX': return { v: r.num(8), f: 'us_dl' };
        case 'PA': return { v: `${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`, f: 'us_dl' };
        case 'MI': return { v: `${L.charAt(0)} ${r.digits(3)} ${r.digits(3)} ${r.digits(3)} ${r.digits(3)}`, f: 'us_dl' };
        default: return r.chance(0.5) ? { v: `${r.letters(1)}${r.digits(r.int(7, 12))}`, f: 'us_dl' } : { v: r.num(r.int(8, 9)), f: 'us_dl' };
      }
    }
    case 'UK': {
      const sur = (L + '99999').slice(0, 5);
      const y = dob.getUTCFullYear();
      const mm = dob.getUTCMonth() + 1 + (p.sex === 'F' ? 50 : 0);
      const ini = (F.charAt(0) + (p.middle ? stripAccents(p.middle).toUpperCase().charAt(0) : '9')).replace(/[^A-Z9]/g, '9');
      return { v: `${sur}${Math.floor((y % 100) / 10)}${pad2(mm)}${pad2(dob.getUTCDate())}${y % 10}${ini}9${r.letters(2)}`, f: 'uk_dvla' };
    }
    case 'CA':
      if (region === 'ON') return { v: `${L.charAt(0)}${r.digits(4)}-${r.digits(5)}-${r.digits(5)}`, f: 'ca_dl' };
      if (region === 'AB') return { v: `${r.digits(6)}-${r.digits(3)}`, f: 'ca_dl' };
      return { v: r.num(7), f: 'ca_dl' };
    case 'AU':
      return { v: r.num(r.int(8, 9)), f: 'au_dl' };
    case 'IE':
      return { v: `${r.digits(3)}${r.digits(3)}${r.digits(3)}`, f: 'ie_dl' };
    case 'NZ':
      return { v: `${r.letters(2)}${r.digits(6)}`, f: 'nz_dl' };
    case 'IN':
      return r.chance(0.5)
        ? { v: `${r.pick(['KA', 'MH', 'TN', 'DL', 'UP', 'WB'])}${pad2(r.int(1, 52))} ${r.int(2005, 2022)}${r.digits(7)}`, f: 'in_dl' }
        : { v: `${r.pick(['KA', 'MH', 'TN', 'DL', 'UP', 'WB'])}-${pad2(r.int(1, 52))}-${r.int(2005, 2022)}-${r.digits(7)}`, f: 'in_dl' };
  }
}

function npi(r: Rng): Id {
  const body = String(r.int(1, 2)) + r.digits(8);
  const chk = luhnDigit('80840' + body);
  return { v: body + String(chk), f: 'npi' };
}

function dea(r: Rng, last: string): Id {
  const l1 = r.pick(['A', 'B', 'F', 'M']);
  const l2 = stripAccents(last).toUpperCase().replace(/[^A-Z]/g, '').charAt(0) || 'X';
  const d = r.digits(6);
  const n = (i: number): number => d.charCodeAt(i) - 48;
  const chk = (n(0) + n(2) + n(4) + 2 * (n(1) + n(3) + n(5))) % 10;
  return { v: `${l1}${l2}${d}${chk}`, f: 'dea' };
}

/** Professional registration typical for a clinician in the country. */
function profReg(r: Rng, c: Country, role: 'doctor' | 'nurse' | 'pharmacist'): { label: string; id: Id } {
  switch (c) {
    case 'US':
      if (role === 'nurse') return { label: r.pick(['RN License #', 'License No.', 'RN Lic.']), id: { v: `RN${r.digits(6)}`, f: 'state_license' } };
      return r.chance(0.5)
        ? { label: 'NPI', id: npi(r) }
        : { label: r.pick(['State License #', 'Lic. No.', 'Medical License']), id: r.pick([{ v: `${r.pick(['A', 'G', 'C'])}${r.digits(5)}`, f: 'state_license' }, { v: `MD${r.digits(6)}`, f: 'state_license' }, { v: `${r.pick(['ME', 'MD', 'DO'])} ${r.digits(5)}`, f: 'state_license' }]) };
    case 'UK':
      if (role === 'nurse') return { label: r.pick(['NMC PIN', 'NMC Pin', 'NMC no.']), id: { v: `${r.digits(2)}${r.letters(1)}${r.digits(4)}${r.letters(1, 'EOSWN')}`, f: 'uk_nmc_pin' } };
      if (role === 'pharmacist') return { label: 'GPhC', id: { v: `20${r.digits(5)}`, f: 'uk_gphc' } };
      return { label: r.pick(['GMC', 'GMC No.', 'GMC no.', 'GMC Number']), id: { v: `${r.int(2, 7)}${r.digits(6)}`, f: 'uk_gmc' } };
    case 'CA':
      if (role === 'nurse') return { label: 'CNO Reg. #', id: { v: r.num(8), f: 'ca_reg' } };
      return { label: r.pick(['CPSO #', 'CPSO No.', 'Licence No.', 'CPSBC #']), id: { v: r.num(r.int(5, 6)), f: 'ca_reg' } };
    case 'AU':
      if (role === 'nurse') return { label: 'AHPRA', id: { v: `NMW${r.digits(10)}`, f: 'au_ahpra' } };
      return r.chance(0.5)
        ? { label: r.pick(['Prescriber No.', 'Prescriber number']), id: { v: r.num(7), f: 'au_prescriber' } }
        : { label: 'Provider No.', id: { v: `${r.digits(6)}${r.letters(1, '0123456789ABCDEFGHJK')}${r.letters(1, 'ABFHJKLTWXY')}`, f: 'au_provider' } };
    case 'IE':
      if (role === 'nurse') return { label: 'NMBI PIN', id: { v: r.num(6), f: 'ie_nmbi' } };
      return { label: r.pick(['IMC Reg. No.', 'MCRN', 'IMC No.']), id: { v: '0' + r.digits(5), f: 'ie_imc' } };
    case 'NZ':
      if (role === 'nurse') return { label: 'NCNZ', id: { v: r.num(6), f: 'nz_ncnz' } };
      return { label: r.pick(['MCNZ', 'MCNZ No.', 'Reg. no.']), id: { v: r.num(5), f: 'nz_mcnz' } };
    case 'IN':
      return r.chance(0.5)
        ? { label: r.pick(['Reg. No.', 'MCI Reg. No.', 'NMC Reg.']), id: { v: r.num(r.int(5, 6)), f: 'in_medical_reg' } }
        : { label: r.pick(['KMC Reg. No.', 'MMC Reg.', 'TNMC No.', 'DMC Reg.']), id: { v: `${r.int(1995, 2020)}/${pad2(r.int(1, 12))}/${r.digits(4)}`, f: 'in_medical_reg' } };
  }
}

/* devices ----------------------------------------------------------------- */

function gtin14(r: Rng): string {
  const body = '0' + r.pick(['0643169', '0884521', '0763000', '4046963', '0813132', '5414734']) + r.digits(5);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(body.length - 1 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

interface DeviceSpec { name: string; serial: Id; extra?: Id }

function implantSerial(r: Rng): Id {
  return r.pick([
    { v: `${r.letters(3)}${r.digits(6)}${r.letters(1)}`, f: 'implant_serial' },
    { v: r.num(6), f: 'implant_serial' },
    { v: r.num(8), f: 'implant_serial' },
    { v: `${r.letters(2)}${r.digits(7)}`, f: 'implant_serial' },
  ]);
}

function pacemaker(r: Rng, y: number): DeviceSpec {
  const name = r.pick(['Medtronic Azure XT DR MRI SureScan', 'Boston Scientific Accolade MRI DR', 'Abbott Assurity MRI', 'Biotronik Edora 8 DR-T', 'Medtronic Micra AV leadless pacemaker', 'Boston Scientific Resonate X4 CRT-D', 'Medtronic Cobalt XT ICD']);
  const serial = implantSerial(r);
  const exp = mkDate(y + r.int(1, 3), r.int(1, 12), r.int(1, 28));
  const extra: Id = { v: `(01)${gtin14(r)}(17)${pad2(exp.getUTCFullYear() % 100)}${pad2(exp.getUTCMonth() + 1)}${pad2(exp.getUTCDate())}(21)${serial.v}`, f: 'udi_gs1' };
  return { name, serial, extra };
}

function otherDevice(r: Rng): DeviceSpec {
  return r.pick<DeviceSpec>([
    { name: 'insulin pump (Tandem t:slim X2)', serial: { v: `${r.digits(6)}`, f: 'pump_serial' } },
    { name: 'insulin pump (MiniMed 780G)', serial: { v: `NG${r.digits(7)}H`, f: 'pump_serial' } },
    { name: 'CGM transmitter', serial: { v: `8G${r.letters(4, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`, f: 'cgm_transmitter' } },
    { name: 'CPAP machine (ResMed AirSense 11)', serial: { v: `${r.num(11)}`, f: 'cpap_serial' } },
    { name: 'hearing aids (Phonak Lumity)', serial: { v: `${r.digits(4)}${r.letters(1)}${r.digits(4)}`, f: 'hearing_aid_serial' } },
    { name: 'home oxygen concentrator', serial: { v: `${r.letters(3)}-${r.digits(4)}-${r.digits(4)}`, f: 'device_serial' } },
    { name: 'cochlear implant processor', serial: { v: `${r.digits(3)}${r.letters(2)}${r.digits(5)}`, f: 'device_serial' } },
  ]);
}

function imei(r: Rng): Id {
  const body = r.pick(['35', '86', '01', '49']) + r.digits(12);
  const n = body + String(luhnDigit(body));
  return r.chance(0.5) ? { v: n, f: 'imei' } : { v: `${n.slice(0, 2)}-${n.slice(2, 8)}-${n.slice(8, 14)}-${n.slice(14)}`, f: 'imei' };
}

/* ------------------------------------------------------------------------ */
/* Keep items (public text that must survive)                                */
/* ------------------------------------------------------------------------ */

function hotline(r: Rng, c: Country): string {
  const d3 = r.digits(3);
  const d4 = r.digits(4);
  switch (c) {
    case 'US':
    case 'CA': {
      const p = r.pick(['800', '888', '877', '866', '855', '844', '833']);
      return r.pick([`1-${p}-${d3}-${d4}`, `(${p}) ${d3}-${d4}`, `${p}-${d3}-${d4}`, `1 (${p}) ${d3}-${d4}`, '1-800-222-1222', '1-800-MEDICARE', `1-${p}-${r.pick(['QUIT-NOW', 'HEALTHY', 'NURSE-24'])}`]);
    }
    case 'UK':
      return r.pick([`0800 ${d3} ${d4}`, `0808 ${r.digits(3)} ${r.digits(4)}`, `0800 ${r.digits(6)}`, '0800 1111', `0808 800 ${d4}`]);
    case 'AU':
      return r.pick([`1800 ${d3} ${r.digits(3)}`, `13 ${r.digits(2)} ${r.digits(2)}`, `1300 ${d3} ${r.digits(3)}`, '13 11 14', '1800 022 222']);
    case 'IE':
      return r.pick([`1800 ${d3} ${r.digits(3)}`, `1800 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`, '1800 700 700']);
    case 'NZ':
      return r.pick([`0800 ${d3} ${r.digits(3)}`, `0508 ${d3} ${r.digits(3)}`, '0800 611 116']);
    case 'IN':
      return r.pick([`1800-${d3}-${d4}`, `1800 ${r.digits(2)} ${r.digits(4)}`, '1800-11-2356', `1800-${r.digits(2)}-${r.digits(4)}`]);
  }
}

const ORG_URLS: Record<Country, readonly string[]> = {
  US: ['www.cdc.gov/diabetes', 'https://www.cdc.gov/flu/', 'medlineplus.gov', 'https://www.heart.org', 'www.cancer.org', 'alz.org', 'www.kidney.org', 'https://www.mayoclinic.org', 'www.medicare.gov', 'https://988lifeline.org', 'www.fda.gov/medwatch'],
  UK: ['www.nhs.uk', 'https://www.nhs.uk/conditions/atrial-fibrillation/', 'nice.org.uk/guidance/ng196', 'www.macmillan.org.uk', 'www.diabetes.org.uk', 'www.stroke.org.uk', 'www.bhf.org.uk', 'https://www.asthmaandlung.org.uk', 'www.parkinsons.org.uk', 'www.mind.org.uk', 'yellowcard.mhra.gov.uk', 'https://111.nhs.uk', 'patient.info'],
  CA: ['www.canada.ca/en/public-health.html', 'www.heartandstroke.ca', 'cancer.ca', 'www.diabetes.ca', 'https://www.healthlinkbc.ca', 'www.ontario.ca/page/health-care-ontario'],
  AU: ['www.healthdirect.gov.au', 'https://www.beyondblue.org.au', 'www.heartfoundation.org.au', 'www.diabetesaustralia.com.au', 'www.cancer.org.au', 'www.servicesaustralia.gov.au/medicare'],
  IE: ['www.hse.ie', 'https://www2.hse.ie/conditions/', 'www.cancer.ie', 'www.irishheart.ie', 'www.diabetes.ie', 'www.alzheimer.ie'],
  NZ: ['www.health.govt.nz', 'https://www.healthnavigator.org.nz', 'www.heartfoundation.org.nz', 'www.cancer.org.nz', 'www.healthify.nz'],
  IN: ['www.mohfw.gov.in', 'https://pmjay.gov.in', 'www.icmr.gov.in', 'www.aiims.edu', 'https://www.esic.gov.in'],
};

const ORG_MAILBOXES = ['info', 'enquiries', 'appointments', 'patient.services', 'billing', 'pals', 'claims', 'referrals', 'admin', 'medical.records', 'outpatients', 'help', 'feedback', 'contact', 'pharmacy', 'radiology.bookings'];

function versionStr(r: Rng): string {
  return r.pick([
    `v${r.int(1, 9)}.${r.int(0, 12)}.${r.int(0, 9)}.${r.int(0, 30)}`,
    `v${r.int(1, 12)}.${r.int(0, 9)}.${r.int(0, 20)}`,
    `${r.int(1, 12)}.${r.int(0, 9)}.${r.int(0, 20)}`,
    `${r.int(2018, 2024)}.${r.int(1, 4)}.${r.int(0, 9)}`,
    `v${r.int(2, 8)}.${r.int(0, 4)}`,
  ]);
}

function citation(r: Rng, c: Country): string {
  const s1 = r.pick((CULTURES[r.weighted(CULTURE_MIX[c])] ?? CULTURES['anglo'] ?? { s: ['Smith'] }).s);
  const s2 = r.pick((CULTURES[r.weighted(CULTURE_MIX[c])] ?? CULTURES['anglo'] ?? { s: ['Jones'] }).s);
  const i1 = r.letters(r.int(1, 2));
  const i2 = r.letters(1);
  const y = r.int(2008, 2024);
  return r.pick([`${s1} ${i1}, et al.`, `${s1} ${i1}, ${s2} ${i2}.`, `${s1} et al. (${y})`, `${s1} ${i1} et al`, `${s1} & ${s2}, ${y}`]);
}

/* ------------------------------------------------------------------------ */
/* Clinical content                                                          */
/* ------------------------------------------------------------------------ */
/*
 * Markup used in the clinical strings:
 *   {d:name}     drug name (keep span)
 *   {e:name}     eponymous disease / sign / score (keep span)
 *   {u:uk|us}    spelling variant
 *   {He} {he} {his} {His} {him}   pronouns of the patient
 */

interface Scenario {
  dx: string;
  pc: string;
  hpi: string;
  exam: string;
  inv: string;
  course: string;
  meds: readonly (readonly [string, string])[];
  plan: string;
  spec: string;
}

const SCENARIOS: readonly Scenario[] = [
  {
    dx: 'Acute decompensated heart failure with reduced ejection fraction',
    pc: 'increasing breathlessness and ankle swelling',
    hpi: '{He} reported two weeks of worsening exertional breathlessness, orthopnoea on three pillows and swelling of both ankles. No chest pain. {He} had run out of {his} {d:furosemide} about ten days earlier.',
    exam: 'JVP raised to the earlobe, bibasal crepitations, pitting {u:oedema|edema} to the knees. BP 142/88, HR 96 irregular, SpO2 93% on air.',
    inv: 'NT-proBNP 6,420 ng/L. Echo: LVEF 30%, moderate functional MR. CXR: upper lobe diversion and small bilateral effusions.',
    course: 'Treated with IV {d:furosemide} 80 mg twice daily with good diuresis; weight fell by 4.6 kg over five days. Renal function stayed stable.',
    meds: [['furosemide', '40 mg once daily'], ['bisoprolol', '2.5 mg once daily'], ['ramipril', '2.5 mg twice daily'], ['spironolactone', '25 mg once daily'], ['dapagliflozin', '10 mg once daily']],
    plan: 'Daily weights; if weight rises by more than 2 kg in three days, take an extra 40 mg of {d:furosemide} and call the heart failure nurses. Repeat U&E in one week.',
    spec: 'Cardiology',
  },
  {
    dx: 'Infective exacerbation of COPD',
    pc: 'cough with green sputum and wheeze',
    hpi: '{He} has known COPD (FEV1 42% predicted) and presented with four days of increased sputum purulence, wheeze and breathlessness at rest. Ex-smoker, 45 pack-years.',
    exam: 'Widespread expiratory wheeze, RR 26, SpO2 86% on air improving to 90% on 28% Venturi. Temp 37.9.',
    inv: 'ABG on air: pH 7.33, pCO2 6.9 kPa, pO2 7.4 kPa. CRP 88. CXR hyperexpanded, no consolidation.',
    course: 'Nebulised {d:salbutamol} and {d:ipratropium}, oral {d:prednisolone} 30 mg and {d:doxycycline}. Did not require NIV. Mobilising independently by day 4.',
    meds: [['prednisolone', '30 mg once daily to complete 5 days'], ['doxycycline', '100 mg once daily for 5 days'], ['Trelegy Ellipta', 'one inhalation daily'], ['salbutamol', '2 puffs as required']],
    plan: 'Pulmonary rehabilitation referral made. Rescue pack provided. Review inhaler technique at the practice.',
    spec: 'Respiratory Medicine',
  },
  {
    dx: 'Community-acquired pneumonia, right lower lobe (CURB-65 score 2)',
    pc: 'fever, productive cough and pleuritic chest pain',
    hpi: '{He} gave a three-day history of fevers, rigors and a cough productive of rusty sputum with right-sided pleuritic pain.',
    exam: 'Bronchial breathing right base. Temp 38.6, HR 108, BP 118/70, RR 24.',
    inv: 'WCC 17.2, CRP 214, urea 8.1. CXR: right lower lobe consolidation. Urinary pneumococcal antigen positive.',
    course: 'IV {d:co-amoxiclav} plus oral {d:clarithromycin}, stepped down to oral {d:amoxicillin} after 48 hours afebrile.',
    meds: [['amoxicillin', '1 g three times daily to complete 7 days'], ['paracetamol', '1 g four times daily as required']],
    plan: 'Repeat chest X-ray in six weeks to confirm resolution.',
    spec: 'Respiratory Medicine',
  },
  {
    dx: 'Non-ST elevation myocardial infarction',
    pc: 'central chest tightness radiating to the left arm',
    hpi: '{He} developed crushing central chest pain while gardening, lasting forty minutes, with sweating and nausea.',
    exam: 'Comfortable at rest, HS I+II+0, chest clear. BP 156/92, HR 84 regular.',
    inv: 'hs-Troponin T 58 then 412 ng/L. ECG: ST depression V4-V6. Angiogram: 90% proximal LAD stenosis, treated with one drug-eluting stent.',
    course: 'Loaded with {d:aspirin} and {d:ticagrelor}; PCI to the LAD via the right radial artery. Uncomplicated recovery.',
    meds: [['aspirin', '75 mg once daily lifelong'], ['ticagrelor', '90 mg twice daily for 12 months'], ['atorvastatin', '80 mg at night'], ['bisoprolol', '2.5 mg once daily'], ['ramipril', '2.5 mg once daily'], ['GTN spray', '400 micrograms as required']],
    plan: 'Cardiac rehabilitation referral sent. No driving for one week. Echo in three months.',
    spec: 'Cardiology',
  },
  {
    dx: 'Atrial fibrillation with rapid ventricular response',
    pc: 'palpitations and light-headedness',
    hpi: '{He} noticed a racing, irregular heartbeat two days ago with light-headedness on standing but no syncope.',
    exam: 'Irregularly irregular pulse 148, BP 104/66, no signs of failure.',
    inv: 'ECG: AF, rate 150. TSH normal. Echo: normal LV, mildly dilated left atrium. CHA2DS2-VASc score 4, ORBIT score 1.',
    course: 'Rate controlled with {d:bisoprolol} and a single dose of IV {d:digoxin}. Anticoagulation started with {d:apixaban}.',
    meds: [['apixaban', '5 mg twice daily'], ['bisoprolol', '5 mg once daily']],
    plan: 'Outpatient review to discuss rhythm control.',
    spec: 'Cardiology',
  },
  {
    dx: 'Fractured neck of femur (left, intracapsular) following a fall',
    pc: 'a fall at home with left hip pain',
    hpi: '{He} tripped on a rug at home, landed on {his} left side and was unable to weight bear. Lay on the floor for around three hours before being found.',
    exam: 'Left leg shortened and externally rotated. AMT 8/10. No head injury.',
    inv: 'X-ray: displaced intracapsular fracture of the left femoral neck. CK 1,480. Hb 118.',
    course: 'Left hemiarthroplasty under spinal anaesthesia on day 1. Seen by the orthogeriatric team; mobilising with a frame by day 3.',
    meds: [['enoxaparin', '40 mg subcutaneously daily for 28 days'], ['paracetamol', '1 g four times daily'], ['Adcal-D3', 'one tablet twice daily'], ['alendronic acid', '70 mg once weekly']],
    plan: 'Physiotherapy at home; falls clinic and DEXA scan requested. Clips out at day 12.',
    spec: 'Orthogeriatrics',
  },
  {
    dx: 'Urinary tract infection with hypoactive delirium',
    pc: 'new confusion and reduced oral intake',
    hpi: 'Family noticed {he} had become drowsy and muddled over three days, was not eating, and had been incontinent of urine.',
    exam: 'Drowsy but rousable, 4AT score 7. Suprapubic tenderness. Temp 38.1, HR 98.',
    inv: 'Urine dip: leucocytes 3+, nitrites positive. Culture: E. coli sensitive to {d:nitrofurantoin}. Na 131, eGFR 41.',
    course: 'IV fluids and {d:cefalexin}, switched to {d:nitrofurantoin} on sensitivities. Confusion settled over four days.',
    meds: [['nitrofurantoin', '50 mg four times daily for 3 more days'], ['donepezil', '5 mg at night (unchanged)']],
    plan: 'Encourage fluids. Community memory clinic referral for cognitive assessment once recovered.',
    spec: 'Elderly Care',
  },
  {
    dx: 'Diabetic ketoacidosis',
    pc: 'vomiting, abdominal pain and drowsiness',
    hpi: 'Known type 1 diabetes for 14 years on a basal-bolus regimen. {He} had a viral illness and omitted {his} long-acting insulin for two days.',
    exam: 'Kussmaul breathing, dry mucous membranes, HR 118. GCS 14.',
    inv: 'pH 7.08, bicarbonate 7, ketones 5.9 mmol/L, glucose 28.4 mmol/L, K 5.6.',
    course: 'Fixed-rate IV insulin infusion and fluids per DKA protocol; ketones cleared at 18 hours. Converted back to subcutaneous insulin.',
    meds: [['insulin glargine (Lantus)', '22 units at night'], ['insulin aspart (NovoRapid)', 'with meals per carbohydrate ratio 1:10']],
    plan: 'Sick-day rules reviewed. Diabetes specialist nurse follow-up in two weeks.',
    spec: 'Diabetes and Endocrinology',
  },
  {
    dx: 'Left middle cerebral artery ischaemic stroke',
    pc: 'sudden right-sided weakness and word-finding difficulty',
    hpi: '{He} was found by {his} partner at breakfast with a droop of the right face and slurred speech; last seen well the night before.',
    exam: 'NIHSS 9: right facial weakness, right arm 2/5, expressive dysphasia.',
    inv: 'CT head: early ischaemic change in the left MCA territory (ASPECTS 8). CTA: no large-vessel occlusion. Carotid duplex: 40% left ICA stenosis.',
    course: 'Outside the thrombolysis window. {d:Aspirin} 300 mg for 14 days then {d:clopidogrel}. Speech and language therapy input; passed swallow screen on day 2.',
    meds: [['clopidogrel', '75 mg once daily'], ['atorvastatin', '80 mg at night'], ['amlodipine', '5 mg once daily']],
    plan: 'Inpatient stroke rehabilitation. Must not drive for at least one month.',
    spec: 'Stroke Medicine',
  },
  {
    dx: 'Cellulitis of the right lower leg',
    pc: 'a red, hot, swollen right leg',
    hpi: 'Three days of spreading redness from a small wound on the right shin, with fevers. {e:Wells score} for DVT 0.',
    exam: 'Erythema to mid-calf, marked with pen; warm and tender. Temp 38.2.',
    inv: 'WCC 13.4, CRP 96. Doppler not required.',
    course: 'IV {d:flucloxacillin}, converted to oral after 72 hours as the erythema receded.',
    meds: [['flucloxacillin', '1 g four times daily to complete 7 days'], ['paracetamol', 'as required']],
    plan: 'Leg elevation. Return if the redness spreads beyond the pen marks.',
    spec: 'Acute Medicine',
  },
  {
    dx: 'Upper gastrointestinal bleed secondary to duodenal ulcer; background {e:Barrett\'s oesophagus}',
    pc: 'vomiting blood and black stools',
    hpi: 'Two episodes of haematemesis and melaena for a day. {He} had been taking {d:naproxen} for knee pain. {e:Glasgow-Blatchford score} 11.',
    exam: 'Pale, HR 112, BP 96/58. PR: melaena.',
    inv: 'Hb 74 (baseline 128). OGD: 12 mm posterior duodenal ulcer with visible vessel, treated with adrenaline and clips. Long-segment {e:Barrett\'s oesophagus} (C4M6) noted.',
    course: 'Transfused two units. IV {d:pantoprazole} infusion for 72 hours. No rebleed.',
    meds: [['omeprazole', '40 mg twice daily for 8 weeks'], ['ferrous fumarate', '210 mg twice daily']],
    plan: 'Stop {d:naproxen}. H. pylori stool antigen sent. Repeat OGD with {e:Barrett\'s} surveillance biopsies in 8 weeks.',
    spec: 'Gastroenterology',
  },
  {
    dx: "Flare of ileocolonic {e:Crohn's disease}",
    pc: 'bloody diarrhoea and weight loss',
    hpi: 'Known {e:Crohn\'s disease} since age 19. Eight loose stools a day with blood, cramping abdominal pain and 5 kg weight loss over a month.',
    exam: 'Tender right iliac fossa, no peritonism. HR 102.',
    inv: 'Faecal calprotectin 1,240. CRP 76, albumin 29. MRI small bowel: 15 cm active terminal ileitis, no abscess.',
    course: 'IV {d:hydrocortisone} 100 mg four times daily with good response; started on {d:infliximab} induction.',
    meds: [['prednisolone', '40 mg daily, reducing by 5 mg weekly'], ['azathioprine', '100 mg once daily'], ['infliximab', '5 mg/kg at weeks 0, 2 and 6']],
    plan: 'IBD nurse review. TPMT checked before {d:azathioprine}. Bloods weekly for four weeks.',
    spec: 'Gastroenterology',
  },
  {
    dx: "{e:Graves' disease} with thyrotoxicosis",
    pc: 'weight loss, tremor and palpitations',
    hpi: '{He} lost 7 kg in two months despite a good appetite, with heat intolerance, a fine tremor and gritty eyes.',
    exam: 'Diffuse smooth goitre with a bruit, lid lag, mild proptosis. HR 112 regular.',
    inv: 'TSH <0.01 mU/L, free T4 48 pmol/L, TRAb 9.8 IU/L (positive).',
    course: 'Started on {d:carbimazole} and {d:propranolol}. Warned about agranulocytosis.',
    meds: [['carbimazole', '30 mg once daily'], ['propranolol', '40 mg three times daily']],
    plan: 'Thyroid function every six weeks. Ophthalmology review for {e:Graves\'} orbitopathy.',
    spec: 'Endocrinology',
  },
  {
    dx: 'Classical {e:Hodgkin lymphoma}, nodular sclerosis subtype, stage IIB',
    pc: 'painless neck lumps, night sweats and itch',
    hpi: '{He} noticed enlarging lumps in the left neck over three months, with drenching night sweats and generalised itch.',
    exam: 'Matted left supraclavicular and cervical lymphadenopathy, largest 4 cm. No hepatosplenomegaly.',
    inv: 'Excision biopsy: {e:Reed-Sternberg} cells, CD15+ CD30+. PET-CT: FDG-avid nodes above the diaphragm only.',
    course: 'Discussed at the lymphoma MDT. Fertility preservation offered. PICC line inserted.',
    meds: [['ABVD chemotherapy', '(doxorubicin, bleomycin, vinblastine, dacarbazine) cycle 1 day 1'], ['allopurinol', '300 mg once daily'], ['aciclovir', '400 mg twice daily']],
    plan: 'Interim PET after two cycles. Baseline pulmonary function tests before {d:bleomycin}.',
    spec: 'Haematology',
  },
  {
    dx: "{e:Parkinson's disease} with recurrent falls",
    pc: 'falls and freezing of gait',
    hpi: "Diagnosed with {e:Parkinson's disease} six years ago. Three falls in the past month, mostly when turning, with episodes of freezing.",
    exam: 'Hypomimia, bradykinesia, cogwheel rigidity right more than left. Postural drop of 24 mmHg.',
    inv: 'Lying BP 138/80, standing 114/72. CT head: no acute change.',
    course: 'Medication timing optimised and {d:co-careldopa} doses adjusted. Physio and OT assessments completed.',
    meds: [['co-careldopa (Sinemet)', '25/100 mg four times daily at 07:00, 11:00, 15:00, 19:00'], ['rasagiline', '1 mg once daily'], ['midodrine', '2.5 mg three times daily']],
    plan: 'Parkinson nurse specialist follow-up. Time-critical medication card given.',
    spec: 'Movement Disorders',
  },
  {
    dx: '{e:Guillain-Barré syndrome}',
    pc: 'ascending weakness and tingling in the feet',
    hpi: 'Tingling in both feet progressing over five days to leg weakness and difficulty climbing stairs, two weeks after a diarrhoeal illness.',
    exam: 'Power 3/5 in both legs, areflexia throughout, glove-and-stocking sensory loss.',
    inv: 'CSF: protein 1.9 g/L, white cells 2. Nerve conduction: demyelinating polyneuropathy. FVC 2.6 L.',
    course: 'Five days of IV immunoglobulin. FVC monitored four times daily, lowest 2.3 L; no ICU admission required.',
    meds: [['enoxaparin', '40 mg once daily'], ['gabapentin', '300 mg three times daily']],
    plan: 'Neurorehabilitation. Follow-up in the neuromuscular clinic.',
    spec: 'Neurology',
  },
  {
    dx: "{e:Bell's palsy} (right)",
    pc: 'facial droop and difficulty closing the right eye',
    hpi: 'Woke with a droop of the right side of the face, drooling from the corner of the mouth and altered taste. Forehead involved.',
    exam: 'House-Brackmann grade IV right lower motor neurone facial weakness. Ears normal, no vesicles.',
    inv: 'Glucose 5.4. No other neurological signs.',
    course: 'Started {d:prednisolone} within 72 hours of onset.',
    meds: [['prednisolone', '50 mg once daily for 10 days'], ['Hylo-Tear eye drops', 'hourly by day'], ['Lacri-Lube', 'at night with eye taped shut']],
    plan: 'Review in three weeks; ENT referral if no improvement by three months.',
    spec: 'ENT',
  },
  {
    dx: "Adrenal crisis on a background of {e:Addison's disease}",
    pc: 'collapse with vomiting',
    hpi: "Known {e:Addison's disease}; vomiting for 24 hours with gastroenteritis and unable to keep {his} {d:hydrocortisone} down.",
    exam: 'BP 82/50, HR 124, cool peripheries.',
    inv: 'Na 124, K 5.9, glucose 3.6.',
    course: 'IM then IV {d:hydrocortisone} 100 mg and fluid resuscitation with rapid improvement.',
    meds: [['hydrocortisone', '10 mg on waking, 5 mg at noon, 5 mg at 16:00'], ['fludrocortisone', '100 micrograms once daily']],
    plan: 'Steroid emergency card and emergency injection kit re-issued; sick-day rules reinforced.',
    spec: 'Endocrinology',
  },
  {
    dx: "{e:Alzheimer's disease} with behavioural and psychological symptoms",
    pc: 'agitation and night-time wandering',
    hpi: "Diagnosed with {e:Alzheimer's disease} four years ago. Increasing agitation in the evenings, wandering at night and refusing personal care.",
    exam: 'MoCA 11/30. Physically well, no infection found.',
    inv: 'Bloods unremarkable. Urine culture negative.',
    course: 'Non-drug approaches first; {d:memantine} added.',
    meds: [['donepezil', '10 mg at night'], ['memantine', '5 mg daily, titrating weekly to 20 mg']],
    plan: 'Carer support and respite options discussed. Lasting power of attorney in place.',
    spec: 'Old Age Psychiatry',
  },
  {
    dx: "Hypothyroidism ({e:Hashimoto's thyroiditis}) in an adult with {e:Down syndrome}",
    pc: 'tiredness, weight gain and low mood',
    hpi: 'Carers noticed {he} was slower, sleeping more and had gained weight over six months.',
    exam: 'Dry skin, slow-relaxing reflexes. HR 58.',
    inv: 'TSH 38 mU/L, free T4 6 pmol/L, TPO antibodies strongly positive.',
    course: 'Started on {d:levothyroxine}.',
    meds: [['levothyroxine', '50 micrograms once daily, increasing to 75 micrograms after 4 weeks']],
    plan: 'Repeat thyroid function in six weeks. Annual health check with learning disability team.',
    spec: 'Endocrinology',
  },
  {
    dx: "Primary {e:Sjögren's syndrome}",
    pc: 'dry eyes, dry mouth and joint aches',
    hpi: 'Two years of gritty eyes, needing water to swallow dry food, and aching small joints. {e:Raynaud\'s phenomenon} in winter.',
    exam: "Schirmer's test 3 mm at 5 minutes. Parotid swelling bilaterally.",
    inv: 'Anti-Ro and anti-La positive, ANA 1:640, IgG 21.',
    course: 'Started {d:hydroxychloroquine}; eye lubricants.',
    meds: [['hydroxychloroquine', '200 mg once daily'], ['carbomer eye gel', 'four times daily'], ['pilocarpine', '5 mg three times daily']],
    plan: 'Annual retinal screening while on {d:hydroxychloroquine}.',
    spec: 'Rheumatology',
  },
  {
    dx: 'Type 2 diabetes with poor glycaemic control; hypertension',
    pc: 'a routine diabetes review',
    hpi: 'HbA1c has risen from 58 to 71 mmol/mol (8.6%) over a year. {He} admits missing evening doses of {d:metformin}.',
    exam: 'BMI 33.4. BP 148/90. Foot pulses present, monofilament normal.',
    inv: 'HbA1c 71 mmol/mol, eGFR 68, urine ACR 4.2.',
    course: 'Discussed options; started {d:Ozempic} ({d:semaglutide}) weekly.',
    meds: [['metformin', '1 g twice daily'], ['Ozempic', '0.25 mg weekly for 4 weeks then 0.5 mg'], ['Januvia', '100 mg once daily (stop when Ozempic reaches 0.5 mg)'], ['amlodipine', '10 mg once daily'], ['atorvastatin', '20 mg at night']],
    plan: 'Structured education course. HbA1c in three months. Retinal screening due.',
    spec: 'Diabetes',
  },
  {
    dx: 'Rheumatoid arthritis, seropositive, active',
    pc: 'painful swollen hands and morning stiffness',
    hpi: 'Three months of symmetrical pain and swelling in the small joints of both hands with two hours of morning stiffness.',
    exam: 'Synovitis of MCPs 2-4 bilaterally and both wrists. DAS28-CRP 5.4.',
    inv: 'RF 112, anti-CCP >300, CRP 42. Hand X-rays: periarticular osteopenia, no erosions.',
    course: 'Started {d:methotrexate}; IM {d:Depo-Medrone} 120 mg given.',
    meds: [['methotrexate', '15 mg once weekly (Mondays)'], ['folic acid', '5 mg once weekly, not on the methotrexate day'], ['Humira', 'to be considered if inadequate response']],
    plan: 'Blood monitoring every two weeks for six weeks. Hepatitis serology and chest X-ray done.',
    spec: 'Rheumatology',
  },
  {
    dx: "{e:Ménière's disease}",
    pc: 'attacks of vertigo with ringing in the left ear',
    hpi: 'Episodes of rotatory vertigo lasting several hours with a full feeling in the left ear, roaring tinnitus and fluctuating hearing.',
    exam: 'Between attacks: normal cranial nerves, negative {e:Dix-Hallpike} test.',
    inv: 'Audiogram: low-frequency sensorineural loss on the left. MRI IAMs normal.',
    course: 'Started {d:betahistine}; low-salt diet advice.',
    meds: [['betahistine', '16 mg three times daily'], ['prochlorperazine', '5 mg as required during attacks']],
    plan: 'ENT review in four months; vestibular rehabilitation.',
    spec: 'ENT',
  },
  {
    dx: "{e:Cushing's syndrome} (ACTH-dependent)",
    pc: 'weight gain, easy bruising and high blood pressure',
    hpi: 'Central weight gain, proximal weakness, purple abdominal striae and new hypertension over a year.',
    exam: 'Plethoric moon face, dorsocervical fat pad, wide violaceous striae. BP 168/98.',
    inv: 'Overnight {d:dexamethasone} suppression test: cortisol 412 nmol/L. Late-night salivary cortisol raised x2. ACTH 68 ng/L. MRI pituitary: 6 mm microadenoma.',
    course: 'Started {d:metyrapone} while awaiting surgery.',
    meds: [['metyrapone', '250 mg three times daily'], ['ramipril', '5 mg once daily']],
    plan: 'Pituitary MDT; transsphenoidal surgery planned.',
    spec: 'Endocrinology',
  },
];

const MISC_DRUGS = ['Eliquis', 'Xarelto', 'Lipitor', 'Synthroid', 'Zoloft', 'Lexapro', 'Keppra', 'Lyrica', 'Seroquel', 'Ventolin', 'Symbicort', 'Entresto', 'Jardiance', 'Tylenol', 'Panadol', 'Nurofen', 'Augmentin', 'Norvasc', 'Flomax', 'Ambien', 'Valium', 'Ativan', 'Keytruda', 'Lucentis', 'Dupixent', 'sertraline', 'citalopram', 'omeprazole', 'lansoprazole', 'codeine', 'tramadol', 'morphine sulfate', 'oxycodone', 'warfarin', 'rivaroxaban', 'edoxaban', 'insulin detemir', 'Humalog', 'Trulicity', 'Mounjaro', 'Victoza'];

const EPONYMS = ["Hodgkin lymphoma", "non-Hodgkin lymphoma", "Graves' disease", "Hashimoto's thyroiditis", 'Down syndrome', "Crohn's disease", "Parkinson's disease", "Alzheimer's disease", "Addison's disease", "Cushing's syndrome", "Bell's palsy", 'Guillain-Barré syndrome', "Sjögren's syndrome", "Raynaud's phenomenon", "Barrett's oesophagus", "Paget's disease of bone", "Wilson's disease", "Huntington's disease", 'Kawasaki disease', "Ménière's disease", 'Marfan syndrome', 'Tourette syndrome', "Dupuytren's contracture", "Baker's cyst", 'Wolff-Parkinson-White syndrome', 'Brugada syndrome', "Horner's syndrome", 'Epstein-Barr virus', 'Creutzfeldt-Jakob disease', "Bowen's disease", 'Osgood-Schlatter disease', "Still's disease", 'Kaposi sarcoma', "Ewing's sarcoma", "Wilms' tumour", 'Lewy body dementia', "Tietze's syndrome", 'Stevens-Johnson syndrome', "Hirschsprung's disease", "Legionnaires' disease"];

interface MkOpts { uk: boolean; sex: Sex }

/** Expand clinical markup into pieces. */
function mk(s: string, o: MkOpts): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  const re = /\{([^{}]+)\}/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(last, m.index));
    const body = m[1] ?? '';
    if (body.startsWith('d:')) out.push(K('drug', body.slice(2)));
    else if (body.startsWith('e:')) out.push(K('eponym', body.slice(2)));
    else if (body.startsWith('u:')) {
      const [uk, us] = body.slice(2).split('|');
      out.push(o.uk ? uk ?? '' : us ?? '');
    } else {
      const f = o.sex === 'F';
      const map: Record<string, string> = { He: f ? 'She' : 'He', he: f ? 'she' : 'he', his: f ? 'her' : 'his', His: f ? 'Her' : 'His', him: f ? 'her' : 'him' };
      out.push(map[body] ?? body);
    }
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

/** A medication line: drug name (keep) + instructions. */
function medLine(m: readonly [string, string]): Piece[] {
  const [name, dose] = m;
  const paren = name.indexOf(' (');
  if (paren > 0 && name.endsWith(')')) {
    // e.g. "insulin glargine (Lantus)": both are drug names
    return [K('drug', name.slice(0, paren)), ' (', K('drug', name.slice(paren + 2, -1)), ') ', dose];
  }
  if (name.endsWith('chemotherapy')) return [name, ' ', dose];
  return [K('drug', name), ' ', dose];
}

/* ------------------------------------------------------------------------ */
/* Organisations                                                             */
/* ------------------------------------------------------------------------ */

interface OrgDef { n: string; dom: string }

const HOSPITALS: Record<Country, readonly OrgDef[]> = {
  US: [{ n: 'St. Agnes Medical Center', dom: 'stagnesmed.org' }, { n: 'Riverside Regional Hospital', dom: 'riversideregional.org' }, { n: 'Lakeview Community Hospital', dom: 'lakeviewch.org' }, { n: 'Mercy General Hospital', dom: 'mercygeneral.org' }, { n: 'Good Samaritan Medical Center', dom: 'goodsamhealth.org' }, { n: 'Pinecrest University Hospital', dom: 'pinecresthealth.edu' }, { n: 'Valley View Health', dom: 'valleyviewhealth.com' }],
  UK: [{ n: 'Royal Northfield Infirmary', dom: 'rni.nhs.uk' }, { n: 'Queen Margaret General Hospital', dom: 'qmgh.nhs.uk' }, { n: 'Northgate University Hospital', dom: 'northgate.nhs.uk' }, { n: "St Aidan's Hospital", dom: 'staidans.nhs.uk' }, { n: 'Royal Westmoor Hospital', dom: 'westmoor.nhs.uk' }, { n: 'Kingsmead Community Hospital', dom: 'kingsmead.nhs.uk' }],
  CA: [{ n: "St. Brendan's Health Centre", dom: 'stbrendans.ca' }, { n: 'Lakeshore General Hospital', dom: 'lakeshoregeneral.ca' }, { n: 'Prairie Regional Health Centre', dom: 'prairiehealth.ca' }, { n: 'Hôpital du Sacré-Cœur', dom: 'hsc-mtl.qc.ca' }],
  AU: [{ n: 'Banksia Hills Hospital', dom: 'health.nsw.gov.au' }, { n: "St Columba's Private Hospital", dom: 'stcolumbas.com.au' }, { n: 'Eastern Regional Hospital', dom: 'easternhealth.org.au' }, { n: 'Coral Coast Hospital', dom: 'health.qld.gov.au' }],
  IE: [{ n: "St Brigid's University Hospital", dom: 'hse.ie' }, { n: 'Mercy Regional Hospital', dom: 'mercyregional.ie' }, { n: 'Midlands Regional Hospital', dom: 'hse.ie' }],
  NZ: [{ n: 'Harbourview Hospital', dom: 'healthnz.govt.nz' }, { n: 'Te Awa Hospital', dom: 'healthnz.govt.nz' }, { n: 'Southern Lakes Hospital', dom: 'southernlakes.org.nz' }],
  IN: [{ n: 'Sanjeevani Multispeciality Hospital', dom: 'sanjeevanihospitals.in' }, { n: 'Sri Venkateshwara Medical Centre', dom: 'svmc.co.in' }, { n: 'Lifeline Super Speciality Hospital', dom: 'lifelinehospital.in' }, { n: 'Arogya Heart Institute', dom: 'arogyaheart.org' }],
};

const PRACTICES: Record<Country, readonly OrgDef[]> = {
  US: [{ n: 'Northside Family Medicine', dom: 'northsidefm.com' }, { n: 'Oak Hill Internal Medicine', dom: 'oakhillim.com' }, { n: 'Harbor Cardiology Associates', dom: 'harborcardiology.com' }, { n: 'Prairie View Primary Care', dom: 'prairieviewpc.org' }],
  UK: [{ n: 'Beechwood Medical Practice', dom: 'nhs.net' }, { n: 'The Meadows Surgery', dom: 'nhs.net' }, { n: 'Riverside Health Centre', dom: 'nhs.net' }, { n: 'Castlegate Surgery', dom: 'nhs.net' }],
  CA: [{ n: 'Bayview Family Health Team', dom: 'bayviewfht.ca' }, { n: 'Maple Leaf Medical Clinic', dom: 'mapleleafclinic.ca' }, { n: 'Clinique médicale du Parc', dom: 'cliniqueduparc.ca' }],
  AU: [{ n: 'Wattle Street Medical Centre', dom: 'wattlemedical.com.au' }, { n: 'Bayside Family Practice', dom: 'baysidefp.com.au' }, { n: 'Jacaranda General Practice', dom: 'jacarandagp.com.au' }],
  IE: [{ n: 'Fairgreen Medical Centre', dom: 'fairgreenmc.ie' }, { n: 'Riverside Family Practice', dom: 'riversidefp.ie' }, { n: 'Abbey Street Surgery', dom: 'abbeysurgery.ie' }],
  NZ: [{ n: 'Kowhai Health Centre', dom: 'kowhaihealth.co.nz' }, { n: 'Harbour Medical', dom: 'harbourmedical.co.nz' }, { n: 'Te Puna Ora Clinic', dom: 'tepunaora.org.nz' }],
  IN: [{ n: 'Shree Clinic', dom: 'shreeclinic.in' }, { n: 'Care & Cure Polyclinic', dom: 'carecure.in' }, { n: 'Dr. Family Health Clinic', dom: 'familyhealthclinic.in' }],
};

const INSURERS: Record<Country, readonly OrgDef[]> = {
  US: [{ n: 'BlueHarbor Health Plan', dom: 'blueharborhealth.com' }, { n: 'Summit Mutual Insurance', dom: 'summitmutual.com' }, { n: 'Keystone Care Alliance', dom: 'keystonecare.org' }, { n: 'Cascade Health Partners', dom: 'cascadehp.com' }],
  UK: [{ n: 'Albion Health Insurance', dom: 'albionhealth.co.uk' }, { n: 'Heritage Medical Cover', dom: 'heritagecover.co.uk' }, { n: 'Thistle Private Healthcare', dom: 'thistlehealth.co.uk' }],
  CA: [{ n: 'Northern Shield Benefits', dom: 'northernshield.ca' }, { n: 'Great Lakes Life', dom: 'greatlakeslife.ca' }],
  AU: [{ n: 'Southern Cross Health Fund', dom: 'schf.com.au' }, { n: 'Eucalypt Health Insurance', dom: 'eucalypthealth.com.au' }],
  IE: [{ n: 'Emerald Health', dom: 'emeraldhealth.ie' }, { n: 'Shamrock Medical Insurance', dom: 'shamrockmed.ie' }],
  NZ: [{ n: 'Kiwi Health Cover', dom: 'kiwihealthcover.co.nz' }, { n: 'Aotearoa Medical Society', dom: 'aotearoams.co.nz' }],
  IN: [{ n: 'Suraksha General Insurance', dom: 'surakshagi.co.in' }, { n: 'Arogya Shield Health Insurance', dom: 'arogyashield.in' }],
};

/* ------------------------------------------------------------------------ */
/* Cast of a document                                                        */
/* ------------------------------------------------------------------------ */

interface Clin extends Person {
  cred: string;
  reg: { label: string; id: Id };
  email: Id;
}

interface Patient extends Person {
  dob: Date;
  age: number;
  addr: Addr;
  home: Id;
  mobile: Id;
  email: Id;
  mrn: Id;
  nhs: Id | null;
  natId: Id | null;
  ins: Id;
  acct: Id;
  dl: Id;
  url: Id;
}

interface Kin extends Person {
  rel: string;
  phone: Id;
  email: Id;
}

interface Org {
  n: string;
  dom: string;
  addr: Addr;
  phone: Id;
  fax: Id;
}

const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];

function numWords(n: number): string {
  if (n >= 100) return 'one hundred' + (n > 100 ? ' and ' + numWords(n - 100) : '');
  if (n < 10) return ONES[n] ?? String(n);
  if (n < 20) return TEENS[n - 10] ?? String(n);
  const t = TENS[Math.floor(n / 10)] ?? '';
  return n % 10 === 0 ? t : `${t}-${ONES[n % 10] ?? ''}`;
}

const CREDS: Record<Country, readonly string[]> = {
  US: ['MD', 'MD', 'DO', 'MD, FACC', 'MD, FACP', 'MD, PhD', 'MD, FACS'],
  UK: ['MBChB MRCP', 'MB BS FRCP', 'BM BCh FRCS', 'MBBS MRCGP', 'MBChB FRCR', 'BMBS MRCP(UK)'],
  CA: ['MD FRCPC', 'MD CCFP', 'MD, FRCSC', 'MDCM'],
  AU: ['MBBS FRACP', 'MBBS FRACGP', 'MBBS FRANZCR', 'MBBS(Hons) FRACS'],
  IE: ['MB BCh BAO MRCPI', 'MB BCh BAO MICGP', 'MB FRCSI', 'MB BCh BAO FFRRCSI'],
  NZ: ['MBChB FRACP', 'MBChB FRNZCGP', 'MBChB FRANZCR'],
  IN: ['MBBS, MD (Medicine)', 'MBBS, MS (Ortho)', 'MBBS, DM (Cardiology)', 'MBBS, DNB', 'MBBS, MD (Radiodiagnosis)'],
};

const REL_SEX: Record<string, Sex> = {
  daughter: 'F', son: 'M', wife: 'F', husband: 'M', partner: 'F', niece: 'F', nephew: 'M', brother: 'M', sister: 'F', granddaughter: 'F', grandson: 'M',
};

function makeOrg(r: Rng, c: Country, def: OrgDef, town: Town): Org {
  // organisations sit on a numbered street: no flats, PO boxes or cottages
  let addr = makeAddr(r, c, town);
  for (let i = 0; i < 30 && (!/^(us|uk|ca|au|nz|ie|in)_street$/.test(addr.street.f) || (addr.pre && c !== 'IN')); i++) addr = makeAddr(r, c, town);
  addr.pre = null;
  return { n: def.n, dom: def.dom, addr, phone: phoneId(r, c, 'land', town), fax: phoneId(r, c, 'land', town) };
}

/* ------------------------------------------------------------------------ */
/* Per-document context with rendering helpers                              */
/* ------------------------------------------------------------------------ */

class Ctx {
  readonly d = new Builder();
  readonly dot: boolean;
  readonly uk: boolean;
  readonly dmy: boolean;
  readonly dr: string;
  readonly pt: Patient;
  readonly kin: Kin;
  readonly gp: Clin;
  readonly cons: Clin;
  readonly jr: Clin;
  readonly nurse: Clin;
  readonly hosp: Org;
  readonly prac: Org;
  readonly insr: Org;
  readonly sc: Scenario;
  readonly now: Date;
  readonly adm: Date;
  readonly dis: Date;
  readonly town: Town;

  constructor(readonly r: Rng, readonly c: Country) {
    this.dot = c === 'US' || c === 'CA' || (c === 'IN' && r.chance(0.6));
    this.uk = c !== 'US' && c !== 'CA';
    this.dmy = c !== 'US' && !(c === 'CA' && r.chance(0.5));
    this.dr = this.dot ? 'Dr.' : 'Dr';
    this.town = r.pick(TOWNS[c]);
    this.now = randDate(r, mkDate(2016, 1, 4), mkDate(2025, 6, 30));
    const los = r.int(2, 14);
    this.dis = addDays(this.now, -r.int(0, 10));
    this.adm = addDays(this.dis, -los);
    this.sc = r.pick(SCENARIOS);

    const sex: Sex = r.chance(0.52) ? 'F' : 'M';
    const ageBand = r.weighted([[0, 2], [1, 4], [2, 5], [3, 3.6]]);
    const age = ageBand === 0 ? r.int(18, 39) : ageBand === 1 ? r.int(40, 64) : ageBand === 2 ? r.int(65, 89) : r.int(90, 104);
    const dob = addDays(mkDate(this.now.getUTCFullYear() - age - 1, this.now.getUTCMonth() + 1, this.now.getUTCDate()), r.int(1, 364));
    const base = makePerson(r, c, sex, { dot: this.dot });
    const addr = makeAddr(r, c, r.chance(0.7) ? this.town : undefined);
    this.pt = {
      ...base,
      dob,
      age: ageAt(dob, this.now),
      addr,
      home: phoneId(r, c, 'land', addr.townRaw),
      mobile: phoneId(r, c, 'mobile'),
      email: emailId(r, base, c, dob.getUTCFullYear(), true),
      mrn: mrnId(r, c),
      nhs: c === 'UK' ? nhsNumber(r) : null,
      natId: nationalId(r, c),
      ins: insuranceId(r, c, base, dob, addr.region),
      acct: accountId(r, c),
      dl: driverLicence(r, c, base, dob, addr.region),
      url: personalUrl(r, base, dob.getUTCFullYear()),
    };

    const rel = this.pt.age >= 70
      ? r.pick(['daughter', 'son', 'wife', 'husband', 'niece', 'granddaughter', 'daughter', 'son'])
      : this.pt.age < 30 ? r.pick(['partner', 'sister', 'brother', 'wife', 'husband']) : r.pick(['wife', 'husband', 'partner', 'daughter', 'son', 'sister', 'brother']);
    const ksex: Sex = rel === 'wife' && sex === 'F' ? 'F' : rel === 'husband' && sex === 'M' ? 'M' : REL_SEX[rel] ?? 'F';
    const shareName = (rel === 'wife' || rel === 'husband') ? r.chance(0.7) : rel === 'son' ? r.chance(0.8) : rel === 'daughter' ? r.chance(0.45) : r.chance(0.3);
    const kb = makePerson(r, c, ksex, shareName ? { last: base.last, dot: this.dot } : { dot: this.dot });
    this.kin = { ...kb, rel, phone: phoneId(r, c, r.chance(0.75) ? 'mobile' : 'land'), email: emailId(r, kb, c, 1960 + r.int(0, 40), false) };

    const hdef = r.pick(HOSPITALS[c]);
    const pdef = r.pick(PRACTICES[c]);
    this.hosp = makeOrg(r, c, hdef, this.town);
    this.prac = makeOrg(r, c, pdef, r.chance(0.8) ? addr.townRaw : this.town);
    this.insr = makeOrg(r, c, r.pick(INSURERS[c]), r.pick(TOWNS[c]));

    const clin = (role: 'doctor' | 'nurse', dom: string, title?: string): Clin => {
      const s: Sex = r.chance(0.5) ? 'F' : 'M';
      const p = makePerson(r, c, s, { title: title ?? (role === 'doctor' ? this.dr : ''), dot: this.dot });
      const em = workEmail(r, p, dom === 'nhs.net' || c === 'UK' ? r.pick(['nhs.net', dom]) : dom);
      return { ...p, cred: role === 'doctor' ? r.pick(CREDS[c]) : c === 'US' || c === 'CA' ? 'RN' : r.pick(['RN', 'RGN', 'Staff Nurse', 'CNS']), reg: profReg(r, c, role), email: em };
    };
    this.gp = clin('doctor', this.prac.dom);
    this.cons = clin('doctor', this.hosp.dom, r.chance(0.15) ? (this.dot ? 'Prof.' : 'Prof') : undefined);
    this.jr = clin('doctor', this.hosp.dom);
    this.nurse = clin('nurse', this.hosp.dom);
  }

  /* --- names --- */
  nm(p: Person, style: NameStyle, fmt?: string): Piece {
    return nameP(p, style, fmt);
  }

  /** a name in running prose, style drawn at random */
  nmp(p: Person): Piece {
    return nameP(p, this.r.weighted(PROSE_STYLES));
  }

  /** relative mentioned after a relation word: "her son, Tom" / "her son, Tom Baker" */
  nmRel(p: Person): Piece {
    return this.r.chance(0.6) ? nameP(p, 'first_only', 'first_only_relation') : nameP(p, 'first_last');
  }

  /** signature line: first name alone or full name */
  nmSig(p: Person): Piece {
    return this.r.chance(0.5) ? nameP(p, 'first_only', 'first_only_signature') : nameP(p, 'first_last');
  }

  /** clinician with title: "Dr Priya Natarajan" / "Dr. P. Natarajan" / "Dr Natarajan" */
  doc(p: Person, style?: 'full' | 'init' | 'last'): Piece {
    const st = style ?? this.r.weighted([['full', 5], ['init', 2], ['last', 2]] as const);
    if (st === 'full') return nameP(p, 'title_first_last');
    if (st === 'init') return nameP(p, 'title_initial_last');
    return nameP(p, 'title_last');
  }

  /* --- dates --- */
  date(dt: Date, fmt?: DateFmt): PlantPiece {
    const f = fmt ?? this.r.weighted(DATE_MIX[this.c]);
    return P('DATE', f, fmtDate(dt, f));
  }

  dateNY(dt: Date): PlantPiece {
    const f = this.r.weighted(DATE_NOYEAR_MIX[this.dmy ? 'dmy' : 'mdy']);
    return P('DATE', f, fmtDate(dt, f));
  }

  /** numeric date in the local order, for forms */
  dateNum(dt: Date): PlantPiece {
    const f: DateFmt = this.c === 'US' ? this.r.pick(['mdy_slash', 'mdy_nopad'] as const) : this.c === 'CA' ? this.r.pick(['iso', 'mdy_slash', 'dmy_slash'] as const) : this.c === 'IN' ? this.r.pick(['dmy_slash', 'dmy_dash'] as const) : this.r.pick(['dmy_slash', 'dmy_slash', 'dmy_dot'] as const);
    return P('DATE', f, fmtDate(dt, f));
  }

  /* --- ages --- */
  age(n: number, style?: AgeStyle, sex?: Sex): Piece {
    const r = this.r;
    const st = style ?? r.weighted([['year_old', 5], ['aged', 3], ['yo', 2], ['years_old', 2], ['sex_compact', 1]] as const);
    const txt = st === 'words' || st === 'words_attr' ? numWords(n) : String(n);
    const v: Piece = n >= 90 ? P('AGE', st, txt) : K('age_under_90', txt);
    switch (st) {
      case 'year_old': return [v, '-year-old'];
      case 'aged': return ['aged ', v];
      case 'age_label': {
        const lab = r.pick(['Age: ', 'Age ', 'AGE: ', 'Age/Sex: ']);
        return [lab, v, lab === 'Age/Sex: ' ? ` / ${sex ?? 'F'}` : ''];
      }
      case 'yo': return [v, r.pick([' y/o', 'yo', ' yo', ' y.o.'])];
      case 'years_old': return [v, r.pick([' years old', ' yrs', ' years of age', ' years'])];
      case 'turned': return ['turned ', v];
      case 'words': return [v, r.pick([' years old', ' years of age', ''])];
      case 'words_attr': return [v, '-year-old'];
      case 'sex_compact': return [v, r.pick(['', ' ']), sex ?? 'F'];
      case 'paren': return ['(', v, ')'];
    }
  }

  /** "a 67-year-old" / "an 88-year-old" / "an eighty-year-old" */
  aAge(n: number, style: AgeStyle): Piece {
    const lead = style === 'words_attr' || style === 'words' ? numWords(n) : String(n);
    const an = /^(8|11|18|e)/.test(lead) && !(lead.startsWith('1') && lead.length === 3);
    return [an ? 'an ' : 'a ', this.age(n, style)];
  }

  /** bare age number with a caller-chosen format label */
  ageN(n: number, fmt: string): Piece {
    return n >= 90 ? P('AGE', fmt, String(n)) : K('age_under_90', String(n));
  }

  /* --- identifiers --- */
  id(type: string, x: Id): PlantPiece {
    return P(type, x.f, x.v);
  }
  ph(x: Id): PlantPiece {
    return P('PHONE', x.f, x.v);
  }
  fax(x: Id): PlantPiece {
    return P('PHONE', `${x.f}_fax`, x.v);
  }
  em(x: Id): PlantPiece {
    return P('EMAIL', x.f, x.v);
  }
  mrn(): PlantPiece {
    return P('MRN', this.pt.mrn.f, this.pt.mrn.v);
  }

  /* --- keep items --- */
  mk(s: string): Piece[] {
    return mk(s, { uk: this.uk, sex: this.pt.sex });
  }
  drug(name?: string): KeepPiece {
    return K('drug', name ?? this.r.pick(MISC_DRUGS));
  }
  epo(name?: string): KeepPiece {
    return K('eponym', name ?? this.r.pick(EPONYMS));
  }
  hot(): KeepPiece {
    return K('hotline', hotline(this.r, this.c));
  }
  orgMail(o: Org, box?: string): KeepPiece {
    return K('org_email', `${box ?? this.r.pick(ORG_MAILBOXES)}@${o.dom === 'nhs.net' ? this.r.pick(['nhs.net', 'nhs.uk']) : o.dom}`);
  }
  orgUrl(): KeepPiece {
    return K('org_url', this.r.pick(ORG_URLS[this.c]));
  }
  portal(o: Org): KeepPiece {
    return K('org_url', this.r.pick([`https://mychart.${o.dom}`, `www.${o.dom}`, `https://${o.dom}/patients`, `portal.${o.dom}`]));
  }
  cite(): KeepPiece {
    return K('citation', citation(this.r, this.c));
  }
  ver(): KeepPiece {
    return K('version', versionStr(this.r));
  }

  /* --- common fragments --- */
  he(): string {
    return this.pt.sex === 'F' ? 'she' : 'he';
  }
  He(): string {
    return this.pt.sex === 'F' ? 'She' : 'He';
  }
  His(): string {
    return this.pt.sex === 'F' ? 'Her' : 'His';
  }
  his(): string {
    return this.pt.sex === 'F' ? 'her' : 'his';
  }
  man(): string {
    return this.pt.sex === 'F' ? this.r.pick(['woman', 'lady']) : this.r.pick(['man', 'gentleman']);
  }
  medList(indent = '- '): void {
    for (const m of this.sc.meds) this.d.line(indent, medLine(m));
  }
  /** label used for the national ID in this country */
  natLabel(): string {
    switch (this.c) {
      case 'US': return this.r.pick(['SSN', 'SSN#', 'Social Security #', 'Soc. Sec. No.', 'SS No.', 'Social Security Number']);
      case 'UK': return this.r.pick(['NI No.', 'National Insurance No', 'NINO', 'NI number']);
      case 'CA': return this.r.pick(['SIN', 'Social Insurance No.']);
      case 'IE': return this.r.pick(['PPSN', 'PPS No.', 'PPS Number']);
      case 'IN': return this.r.pick(['Aadhaar No.', 'Aadhaar', 'UID']);
      default: return 'ID';
    }
  }
  mrnLabel(): string {
    switch (this.c) {
      case 'US': return this.r.pick(['MRN', 'MRN #', 'Med Rec #', 'Medical Record No.', 'Chart #', 'Patient ID', 'MR#']);
      case 'CA': return this.r.pick(['MRN', 'Chart No.', 'Hospital #', 'Medical Record Number']);
      case 'UK': return this.r.pick(['Hospital No', 'Hosp No.', 'Unit No.', 'MRN', 'Case Note No.', 'RM2 No.']);
      case 'AU': return this.r.pick(['UR No.', 'URN', 'MRN', 'UR']);
      case 'NZ': return this.r.pick(['NHI', 'NHI No.', 'NHI number']);
      case 'IE': return this.r.pick(['MRN', 'Hospital No.', 'Chart No.', 'HRN']);
      case 'IN': return this.r.pick(['UHID', 'UHID No.', 'Reg. No.', 'IP No.', 'MRD No.']);
    }
  }
  insLabel(): string {
    const f = this.pt.ins.f;
    if (f === 'mbi') return this.r.pick(['Medicare (MBI)', 'MBI', 'Medicare Beneficiary ID']);
    if (f === 'medicare_hicn') return this.r.pick(['Medicare #', 'HICN', 'Medicare Claim No.']);
    if (f === 'medicaid_id') return this.r.pick(['Medicaid ID', 'Medicaid #', 'CIN']);
    if (f === 'member_id') return this.r.pick(['Member ID', 'Subscriber ID', 'Member #', 'ID#']);
    if (f === 'ca_health_card') return this.r.pick(['Health Card No.', 'OHIP #', 'PHN', 'HCN']);
    if (f === 'ca_ramq') return 'RAMQ';
    if (f === 'au_medicare') return this.r.pick(['Medicare No.', 'Medicare', 'Medicare card']);
    if (f === 'ie_medical_card') return this.r.pick(['Medical Card No.', 'GMS No.']);
    if (f === 'in_pmjay') return this.r.pick(['PM-JAY ID', 'ABHA/PM-JAY No.']);
    if (f === 'policy') return this.r.pick(['Policy No.', 'Policy Number']);
    return this.r.pick(['Membership No.', 'Member No.', 'Policy holder no.']);
  }
  /** practice / hospital letterhead */
  letterhead(o: Org, dept?: string): void {
    const d = this.d;
    d.l`${o.n}${dept ? `\n${dept}` : ''}`;
    if (this.r.chance(0.6)) d.line(addrInline(o.addr));
    else addrBlock(d, o.addr);
    const tel = this.r.pick(['Tel: ', 'Tel ', 'Phone: ', 'T: ', 'Telephone: ']);
    if (this.r.chance(0.6)) d.l`${tel}${this.ph(o.phone)}   ${this.r.pick(['Fax: ', 'Fax ', 'F: '])}${this.fax(o.fax)}`;
    else d.l`${tel}${this.ph(o.phone)}   ${this.r.pick(['Email: ', 'E: '])}${this.orgMail(o)}`;
  }
}

/* ------------------------------------------------------------------------ */
/* Templates: discharge summaries                                            */
/* ------------------------------------------------------------------------ */

type Template = (x: Ctx) => void;

/** short drug mention for a medication entry ("insulin glargine (Lantus)" -> "insulin glargine") */
function drugShort(m: readonly [string, string]): Piece {
  const name = m[0].split(' (')[0] ?? m[0];
  return name.endsWith('chemotherapy') ? name : K('drug', name);
}

const ALLERGIES = ['NKDA', 'No known drug allergies', 'Penicillin (rash)', 'Codeine (vomiting)', 'Sulfa drugs (hives)', 'Latex', 'Trimethoprim (rash)', 'Nil known'];

const dischargeStructured: Template = (x) => {
  const { d, r, pt } = x;
  d.l`${x.hosp.n}`;
  d.l`${r.pick(['Department of Internal Medicine', 'Hospitalist Service', 'General Medicine', x.sc.spec])}`;
  d.nl();
  d.l`${r.pick(['DISCHARGE SUMMARY', 'Discharge Summary', 'HOSPITAL DISCHARGE SUMMARY'])}`;
  d.nl();
  d.l`Patient: ${x.nm(pt, r.pick(['caps_last_comma_first', 'last_comma_first_mi', 'last_first_caps_compact'] as const))}      ${x.mrnLabel()}: ${x.mrn()}`;
  d.l`DOB: ${x.dateNum(pt.dob)}   ${x.age(pt.age, 'age_label', pt.sex)}${r.chance(0.7) && pt.natId ? ['   ', x.natLabel(), ': ', x.id('SSN', pt.natId)] : ''}`;
  if (r.chance(0.6)) d.l`Address: ${addrInline(pt.addr)}`;
  if (r.chance(0.5)) d.l`Encounter #: ${x.id('MRN', encounterId(r, x.c, x.now.getUTCFullYear()))}`;
  d.l`Admission Date: ${x.dateNum(x.adm)}        Discharge Date: ${x.dateNum(x.dis)}`;
  d.l`Attending: ${x.doc(x.cons, 'full')}, ${x.cons.cred}`;
  d.l`${r.pick(['PCP', 'Primary Care', 'Family Physician', 'GP'])}: ${x.doc(x.gp)} (${x.prac.n}) ${r.pick(['Ph', 'Tel', 'Phone'])}: ${x.ph(x.prac.phone)}`;
  d.nl();
  d.l`PRINCIPAL DIAGNOSIS: ${x.mk(x.sc.dx)}`;
  d.l`SECONDARY DIAGNOSES: Hypertension; ${r.pick(['CKD stage 3a', 'osteoarthritis', 'hypothyroidism', 'gout', 'GORD'])}${r.chance(0.4) ? ['; history of ', x.epo()] : ''}`;
  d.l`ALLERGIES: ${r.pick(ALLERGIES)}`;
  d.nl();
  d.l`HISTORY OF PRESENT ILLNESS:`;
  d.l`${x.nm(pt, 'title_last')} is ${x.aAge(pt.age, r.pick(['year_old', 'year_old', 'words_attr'] as const))} ${x.man()} who presented with ${x.sc.pc}. ${x.mk(x.sc.hpi)}`;
  d.nl();
  d.l`EXAMINATION: ${x.mk(x.sc.exam)}`;
  d.l`RESULTS: ${x.mk(x.sc.inv)}`;
  d.nl();
  d.l`HOSPITAL COURSE:`;
  d.w`${x.mk(x.sc.course)}`;
  if (r.chance(0.7)) d.w` ${x.nm(pt, 'possessive_title_last')} ${x.kin.rel}, ${x.nm(x.kin, 'first_only', 'first_only_relation')}, was updated by phone on ${x.dateNY(x.dis)}.`;
  d.nl(2);
  d.l`DISCHARGE MEDICATIONS:`;
  x.medList('  - ');
  d.nl();
  d.l`FOLLOW-UP:`;
  d.l`  - ${r.pick(['PCP', 'Primary care provider'])} within 7 days for BMP and BP check.`;
  d.l`  - ${x.sc.spec} clinic with ${x.doc(x.cons, 'last')} on ${x.date(addDays(x.dis, r.int(10, 40)))} at ${r.int(8, 15)}:${r.pick(['00', '15', '30', '45'])}.`;
  d.l`  - ${x.mk(x.sc.plan)}`;
  d.nl();
  d.l`Patient instructions: call ${x.ph(x.hosp.phone)} or the nurse advice line ${x.hot()} with questions. More information: ${x.orgUrl()}.`;
  if (r.chance(0.5)) d.l`Disposition: home with ${x.kin.rel} (${x.nm(x.kin, 'first_last')}, ${x.ph(x.kin.phone)}).`;
  d.nl();
  d.l`Electronically signed by ${x.nm(x.cons, r.pick(['first_last', 'first_mi_last'] as const))}, ${x.cons.cred} on ${x.dateNum(x.dis)} ${r.int(10, 23)}:${pad2(r.int(0, 59))}`;
  d.l`cc: ${x.doc(x.gp, 'init')}${r.chance(0.5) ? [', fax ', x.fax(x.prac.fax)] : ''}`;
};

const dischargeNHS: Template = (x) => {
  const { d, r, pt } = x;
  d.l`${x.hosp.n}${x.c === 'UK' && r.chance(0.5) ? ' NHS Foundation Trust' : ''}`;
  d.l`${r.pick(['Ward', 'Ward', 'Unit'])} ${r.int(1, 40)}${r.pick(['', 'A', 'B'])} – ${r.pick(['Elderly Care', 'Acute Medical Unit', 'Respiratory', 'Cardiology', 'Orthopaedics', 'Gastroenterology'])}`;
  d.l`${r.pick(['INPATIENT DISCHARGE LETTER', 'Discharge Notification', 'IMMEDIATE DISCHARGE SUMMARY (IDL)'])}`;
  d.nl();
  d.l`To: ${x.doc(x.gp, r.pick(['full', 'init'] as const))}, ${x.prac.n}, ${addrInline(x.prac.addr)}`;
  d.nl();
  d.l`Patient: ${x.nm(pt, r.pick(['caps_last_comma_first', 'caps_full', 'first_middle_last'] as const))}`;
  const natl = x.c === 'UK' && pt.nhs ? ['NHS No: ', x.id('MRN', pt.nhs), '    '] : '';
  d.l`${natl}${x.mrnLabel()}: ${x.mrn()}`;
  d.l`Date of birth: ${x.date(pt.dob)}`;
  d.l`Address: ${addrInline(pt.addr)}`;
  d.l`Date of admission: ${x.date(x.adm)}     Date of discharge: ${x.date(x.dis)}`;
  d.l`Consultant: ${x.doc(x.cons, r.pick(['last', 'full'] as const))}     Discharging doctor: ${x.doc(x.jr, 'full')} (${r.pick(['FY1', 'FY2', 'CT1', 'SHO', 'Registrar'])})`;
  d.nl();
  d.l`Presenting complaint: ${cap(x.sc.pc)}`;
  d.l`Diagnosis: ${x.mk(x.sc.dx)}`;
  d.l`Allergies: ${r.pick(ALLERGIES)}`;
  d.nl();
  d.l`Clinical summary:`;
  d.l`${x.nm(pt, r.pick(['title_last', 'first_last'] as const))}, ${x.age(pt.age, r.pick(['aged', 'years_old'] as const))}, was admitted with ${x.sc.pc}. ${x.mk(x.sc.hpi)}`;
  d.l`${x.mk(x.sc.course)}`;
  d.l`Key results: ${x.mk(x.sc.inv)}`;
  d.nl();
  if (pt.age >= 78 && r.chance(0.6)) {
    const sp = makePerson(r, x.c, pt.sex === 'F' ? 'M' : 'F', { last: pt.last, dot: x.dot });
    d.l`Social: lives with ${x.his()} ${sp.sex === 'F' ? 'wife' : 'husband'} ${x.nm(sp, 'first_only', 'first_only_relation')} (${x.age(pt.age + r.int(-3, 5), r.pick(['aged', 'years_old'] as const))}), ${r.pick(['who is frail', 'who does the shopping', 'with a package of care twice daily'])}.`;
  }
  d.l`Medication on discharge:`;
  x.medList('• ');
  d.nl();
  d.l`Actions for GP:`;
  d.l`1. ${x.mk(x.sc.plan)}`;
  d.l`2. Please review ${r.pick(['renal function', 'bloods', 'blood pressure', 'sodium'])} in 1-2 weeks.`;
  d.nl();
  d.w`Information given to patient and relatives: discussed with ${x.nm(pt, 'title_last')} and ${x.his()} ${x.kin.rel}, ${x.nm(x.kin, 'first_only', 'first_only_relation')}`;
  d.l`${r.chance(0.6) ? [' (', x.ph(x.kin.phone), ')'] : ''}, who will stay with ${x.pt.sex === 'F' ? 'her' : 'him'} for the first week.`;
  if (r.chance(0.5)) d.l`Patient information leaflet provided; see also ${x.orgUrl()}. Out of hours advice: ${x.c === 'UK' ? 'NHS 111 or ' : ''}${x.hot()}.`;
  d.l`Follow-up: ${x.sc.spec} clinic in ${r.int(2, 12)} weeks – appointment will be posted to the address above.`;
  d.nl();
  d.l`Completed by: ${x.nm(x.jr, r.pick(['first_last', 'initial_last'] as const))}, ${x.jr.reg.label} ${x.id('LICENSE', x.jr.reg.id)}`;
  d.l`Date: ${x.dateNum(x.dis)}   Bleep ${r.int(1000, 4999)}`;
};

const dischargeNarrative: Template = (x) => {
  const { d, r, pt } = x;
  const india = x.c === 'IN';
  x.letterhead(x.hosp);
  d.nl();
  d.l`${india ? 'DISCHARGE SUMMARY' : r.pick(['Discharge Summary', 'DISCHARGE SUMMARY – MEDICAL'])}`;
  d.nl();
  if (india) {
    d.l`Name: ${x.nm(pt, r.pick(['title_first_last', 'first_middle_last'] as const))}     Age/Sex: ${x.ageN(pt.age, 'age_sex_slash')}/${pt.sex}`;
    d.l`${x.mrnLabel()}: ${x.mrn()}     IP No.: ${x.id('ACCOUNT', pt.acct)}`;
    d.l`Address: ${addrInline(pt.addr)}`;
    d.l`Mobile: ${x.ph(pt.mobile)}`;
  } else {
    d.l`Name: ${x.nm(pt, r.pick(['first_last', 'title_first_last', 'last_comma_first'] as const))}     ${x.mrnLabel()}: ${x.mrn()}`;
    d.l`DOB: ${x.date(pt.dob)}${x.c === 'AU' ? ['     ', x.insLabel(), ': ', x.id('ACCOUNT', pt.ins)] : ''}`;
    d.l`Home phone: ${x.ph(pt.home)}`;
  }
  d.l`Date of Admission: ${x.date(x.adm)}    Date of Discharge: ${x.date(x.dis)}`;
  d.l`${india ? 'Consultant In-charge' : 'Treating consultant'}: ${x.doc(x.cons, 'full')}${india ? ', ' + x.cons.cred : ''}`;
  d.nl();
  d.l`Final diagnosis: ${x.mk(x.sc.dx)}`;
  d.nl();
  d.l`${x.nm(pt, 'first_last')}, ${x.aAge(pt.age, r.pick(['year_old', 'words_attr'] as const))} ${x.man()} from ${townProse(pt.addr)}, was admitted on ${x.dateNY(x.adm)} with ${x.sc.pc}. ${x.mk(x.sc.hpi)}`;
  d.l`On examination: ${x.mk(x.sc.exam)}`;
  d.l`Investigations: ${x.mk(x.sc.inv)}`;
  d.l`Course in hospital: ${x.mk(x.sc.course)}${r.chance(0.5) ? [' ', x.nm(pt, 'possessive_title_last'), ' condition improved steadily and ', x.he(), ' was discharged on ', x.dateNY(x.dis), '.'] : ''}`;
  d.nl();
  d.l`${india ? 'Advice on discharge' : 'Discharge medications'}:`;
  x.medList(india ? '  Tab./Inj. ' : '  ');
  d.nl();
  d.l`${x.mk(x.sc.plan)}`;
  if (india) {
    d.l`Review in OPD after ${r.int(5, 15)} days with prior appointment (Ph: ${x.ph(x.hosp.phone)}). In case of emergency contact the hospital 24x7 helpline ${x.hot()}.`;
  } else {
    d.l`Next of kin: ${x.nm(x.kin, 'first_last')} (${x.kin.rel}), ${x.ph(x.kin.phone)}.`;
    d.l`For after-hours advice call ${x.hot()} or visit ${x.orgUrl()}.`;
  }
  d.nl();
  d.l`${x.doc(x.jr, 'full')}`;
  d.l`${r.pick(['Resident Medical Officer', 'Registrar', 'Senior House Officer', 'Junior Resident'])}, for ${x.doc(x.cons, 'last')}`;
  d.l`${x.jr.reg.label} ${x.id('LICENSE', x.jr.reg.id)}`;
};

/* ------------------------------------------------------------------------ */
/* Templates: referral letters                                               */
/* ------------------------------------------------------------------------ */

const referralGP: Template = (x) => {
  const { d, r, pt, kin } = x;
  x.letterhead(x.prac);
  d.nl();
  d.l`${x.date(x.now, x.c === 'US' ? 'month_d_y' : r.pick(['d_month_y', 'ord_month_y', 'dmy_slash'] as const))}`;
  d.nl();
  d.l`${x.doc(x.cons, 'full')}`;
  d.l`Consultant, ${x.sc.spec}`;
  d.l`${x.hosp.n}`;
  if (r.chance(0.5)) addrBlock(d, x.hosp.addr);
  d.nl();
  d.l`Dear ${x.doc(x.cons, 'last')},`;
  d.nl();
  const idpart: Piece = pt.nhs ? ['NHS No. ', x.id('MRN', pt.nhs)] : [x.c === 'AU' ? 'Medicare ' : x.c === 'IE' ? 'PPSN ' : x.mrnLabel() + ' ', x.c === 'AU' ? x.id('ACCOUNT', pt.ins) : x.c === 'IE' && pt.natId ? x.id('SSN', pt.natId) : x.mrn()];
  d.l`Re: ${x.nm(pt, r.pick(['first_last', 'title_first_last', 'first_middle_last'] as const))}, DOB ${x.dateNum(pt.dob)}, ${idpart}`;
  d.l`${addrInline(pt.addr)}${r.chance(0.6) ? ['. Tel ', x.ph(pt.mobile)] : ''}`;
  d.nl();
  d.l`Thank you for seeing this ${x.age(pt.age, r.pick(['year_old', 'year_old', 'words_attr'] as const))} ${x.man()} who presents with ${x.sc.pc}. ${x.mk(x.sc.hpi)}`;
  d.nl();
  d.l`On examination: ${x.mk(x.sc.exam)}`;
  d.l`Results so far: ${x.mk(x.sc.inv)}`;
  d.nl();
  d.l`Past history: hypertension, ${r.pick(['osteoarthritis of both knees', 'hypercholesterolaemia', 'depression', 'asthma in childhood'])}${r.chance(0.5) ? [', ', x.epo()] : ''}.`;
  d.l`Current medication: ${x.sc.meds.slice(0, 3).map((m) => [medLine(m), '; '])}${x.drug()} as required.`;
  d.nl();
  d.l`Social: lives with ${x.his()} ${kin.rel}, ${x.nmRel(kin)}, in ${townProse(pt.addr)}. ${r.pick(['Independent with ADLs.', 'Carers twice daily.', 'Still drives short distances.', 'Walks with a stick.'])}`;
  if (pt.age >= 90 && r.chance(0.6)) d.l`${x.He()} ${x.age(pt.age, 'turned')} ${r.pick(['last month', 'in the spring', 'at Christmas'])} and remains keen to stay at home.`;
  else if (pt.age < 72 && r.chance(0.45)) d.l`${x.He()} is also the main carer for ${x.his()} ${x.age(r.int(90, 103), r.pick(['year_old', 'year_old', 'words_attr'] as const))} ${r.pick(['mother', 'father', 'aunt', 'mother-in-law'])}, which adds to the stress.`;
  d.nl();
  d.l`I would be grateful for your assessment and advice regarding further management. ${x.nm(pt, 'title_last')} is happy to be contacted on ${x.ph(pt.home)}${r.chance(0.4) ? [' or by e-mail at ', x.em(pt.email)] : ''}.`;
  d.nl();
  d.l`${r.pick(['Yours sincerely', 'Kind regards', 'With thanks'])},`;
  d.nl();
  d.l`${x.doc(x.gp, 'full')}`;
  d.l`${x.gp.cred}${x.c === 'US' ? '' : ', General Practitioner'}`;
  d.l`${x.gp.reg.label}: ${x.id('LICENSE', x.gp.reg.id)}`;
  if (r.chance(0.5)) d.l`Secure e-mail: ${x.em(x.gp.email)}`;
};

const referralForm: Template = (x) => {
  const { d, r, pt } = x;
  d.l`${x.prac.n.toUpperCase()} — ${r.pick(['SPECIALTY REFERRAL REQUEST', 'Outpatient Referral Form', 'REFERRAL / CONSULT REQUEST'])}`;
  d.l`Date: ${x.dateNum(x.now)}     Urgency: ${r.pick(['Routine', 'Urgent', 'Urgent - 2 week wait', 'Semi-urgent'])}`;
  d.nl();
  d.l`REFERRING PROVIDER`;
  d.l`Name: ${x.nm(x.gp, r.pick(['last_comma_first', 'first_last'] as const))}, ${x.gp.cred}`;
  if (x.c === 'US') d.l`NPI: ${x.id('LICENSE', npi(r))}`;
  else d.l`${x.gp.reg.label}: ${x.id('LICENSE', x.gp.reg.id)}`;
  d.l`Phone: ${x.ph(withExt(r, x.prac.phone, x.c))}   Fax: ${x.fax(x.prac.fax)}`;
  d.nl();
  d.l`PATIENT`;
  d.l`Name: ${x.nm(pt, r.pick(['caps_last_comma_first', 'last_comma_first_mi'] as const))}`;
  d.l`DOB: ${x.dateNum(pt.dob)}    Sex: ${pt.sex}    ${x.mrnLabel()}: ${x.mrn()}`;
  d.l`Address: ${addrInline(pt.addr)}`;
  d.l`Home: ${x.ph(pt.home)}   Cell: ${x.ph(pt.mobile)}`;
  if (pt.natId && r.chance(0.8)) d.l`${x.natLabel()}: ${x.id('SSN', pt.natId)}${r.chance(0.4) ? ["   Driver's License: ", x.id('LICENSE', pt.dl)] : ''}`;
  if (x.c === 'US') {
    d.l`Insurance: ${x.insr.n}   ${x.insLabel()}: ${x.id('ACCOUNT', pt.ins)}   Group #: ${x.id('ACCOUNT', groupId(r))}`;
  } else {
    d.l`${x.insLabel()}: ${x.id('ACCOUNT', pt.ins)}`;
  }
  d.l`Preferred contact: ${r.pick(['cell', 'home phone', 'e-mail'])}${r.chance(0.5) ? [' / ', x.em(pt.email)] : ''}`;
  d.nl();
  d.l`REFERRED TO: ${x.sc.spec}, ${x.hosp.n}${r.chance(0.5) ? [' — attn ', x.doc(x.cons, 'init')] : ''}`;
  d.l`Reason for referral: ${x.mk(x.sc.dx)}`;
  d.l`Clinical summary: ${x.age(pt.age, 'yo', pt.sex)} ${pt.sex === 'F' ? 'female' : 'male'} with ${x.sc.pc}. ${x.mk(x.sc.hpi)}`;
  d.l`Pertinent results: ${x.mk(x.sc.inv)}`;
  d.l`Current meds: ${x.sc.meds.map((m, i) => [i ? ', ' : '', drugShort(m)])}`;
  d.nl();
  d.l`Please fax consult note to ${x.fax(x.prac.fax)} or send via Direct to ${x.em(x.gp.email)}.`;
  d.l`Scheduling questions: ${x.orgMail(x.hosp, 'referrals')} / ${x.hot()}`;
};

const referralColleague: Template = (x) => {
  const { d, r, pt } = x;
  const india = x.c === 'IN';
  const other = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { title: x.dr, dot: x.dot });
  x.letterhead(x.hosp, `Department of ${x.sc.spec}`);
  d.nl();
  d.l`Ref: ${x.sc.spec.slice(0, 3).toUpperCase()}/${x.now.getUTCFullYear()}/${r.digits(4)}          Date: ${x.date(x.now)}`;
  d.nl();
  d.l`To,`;
  d.l`${x.doc(other, 'full')}`;
  d.l`${r.pick(['Consultant', 'Professor and Head', 'Senior Consultant'])}, ${r.pick(['Interventional Cardiology', 'Neurosurgery', 'Hepatology', 'Haemato-oncology', 'Thoracic Surgery'])}`;
  const far = makeAddr(r, x.c);
  d.l`${r.pick(['Tertiary Care Centre', 'University Hospital', 'Regional Specialist Centre'])}, ${townProse(far)}`;
  d.nl();
  d.l`${india ? 'Respected Sir/Madam' : r.chance(0.4) ? 'Dear Colleague' : ['Dear ', x.doc(other, 'last')]},`;
  d.nl();
  d.l`Sub: Referral of ${x.nm(pt, 'title_first_last')}, ${x.age(pt.age, r.pick(['years_old', 'aged'] as const))}, ${x.mrnLabel()} ${x.mrn()}`;
  d.nl();
  d.l`I am referring the above-named patient, who has been under my care since ${x.date(addDays(x.now, -r.int(60, 900)))}, with ${x.mk(x.sc.dx)}. ${x.mk(x.sc.hpi)}`;
  d.nl();
  d.l`Recent findings: ${x.mk(x.sc.inv)} ${x.mk(x.sc.course)}`;
  d.nl();
  d.l`${x.nm(pt, 'possessive_title_last')} family ${india ? 'are keen for a second opinion' : 'would value your opinion'} before proceeding further. ${x.He()} will be accompanied by ${x.his()} ${x.kin.rel}, ${x.nm(x.kin, r.pick(['title_first_last', 'first_last'] as const))}, who can be reached on ${x.ph(x.kin.phone)}.`;
  if (r.chance(0.5)) d.l`Relevant literature (${x.cite()}) supports early referral in this setting.`;
  d.l`${india ? 'Kindly see and do the needful.' : 'Copies of all imaging have been uploaded to the shared PACS.'}`;
  d.nl();
  d.l`${r.pick(['Thanking you', 'With best regards', 'Yours sincerely'])},`;
  d.nl();
  d.l`${x.doc(x.cons, 'full')}, ${x.cons.cred}`;
  d.l`${x.cons.reg.label} ${x.id('LICENSE', x.cons.reg.id)}`;
  d.l`${x.em(x.cons.email)}`;
  d.l`cc: ${x.doc(x.gp, 'init')}, ${x.prac.n}`;
};

/* ------------------------------------------------------------------------ */
/* Templates: outpatient clinic letters                                      */
/* ------------------------------------------------------------------------ */

const clinicToGP: Template = (x) => {
  const { d, r, pt } = x;
  x.letterhead(x.hosp, `${x.sc.spec} Outpatients`);
  d.nl();
  d.l`Clinic date: ${x.date(x.now)}     Typed: ${x.dateNum(addDays(x.now, r.int(1, 9)))}`;
  d.l`Our ref: ${x.cons.last.slice(0, 3).toUpperCase()}/${r.letters(2)}`;
  d.nl();
  d.l`${x.doc(x.gp, 'init')}`;
  d.l`${x.prac.n}`;
  if (r.chance(0.4)) addrBlock(d, x.prac.addr);
  d.nl();
  d.l`Dear ${x.doc(x.gp, 'last')}`;
  d.nl();
  d.l`${x.nm(pt, r.pick(['caps_full', 'first_last'] as const))}  DOB ${x.dateNum(pt.dob)}  ${pt.nhs ? ['NHS ', x.id('MRN', pt.nhs)] : [x.mrnLabel(), ' ', x.mrn()]}`;
  d.l`${addrInline(pt.addr)}`;
  d.nl();
  d.l`Diagnosis: ${x.mk(x.sc.dx)}`;
  d.l`Plan: ${x.mk(x.sc.plan)}`;
  d.nl();
  d.l`I reviewed ${x.nm(pt, 'title_last')} in clinic today${r.chance(0.5) ? [' with ', x.his(), ' ', x.kin.rel, ' ', x.nm(x.kin, 'first_only', 'first_only_relation')] : ''}. ${x.mk(x.sc.hpi)}`;
  d.nl();
  d.l`On examination ${x.mk(x.sc.exam)} ${x.mk(x.sc.inv)}`;
  d.nl();
  d.l`${x.mk(x.sc.course)} I have explained the diagnosis and given ${x.pt.sex === 'F' ? 'her' : 'him'} written information (${x.orgUrl()}). ${x.nm(pt, 'title_last')} understood and agreed with the plan.`;
  if (pt.age >= 90) d.l`Given that ${x.he()} is now ${x.age(pt.age, r.pick(['words', 'years_old'] as const))}, we agreed to keep investigations to a minimum.`;
  d.nl();
  d.l`I will see ${x.pt.sex === 'F' ? 'her' : 'him'} again in ${r.int(3, 6)} months; in the meantime ${x.his()} specialist nurse, ${x.nm(x.nurse, 'first_last')}, is available on ${x.ph(withExt(r, x.hosp.phone, x.c))}.`;
  d.nl();
  d.l`Yours sincerely`;
  d.nl();
  d.l`${x.doc(x.cons, 'full')}`;
  d.l`Consultant ${x.sc.spec === 'ENT' ? 'ENT Surgeon' : 'Physician'}`;
  d.nl();
  d.l`cc: ${x.nm(pt, r.pick(['title_initial_last', 'title_first_last'] as const))} (patient)`;
};

const clinicToPatient: Template = (x) => {
  const { d, r, pt } = x;
  x.letterhead(x.hosp, x.sc.spec);
  d.nl();
  d.l`${x.date(x.now, x.dmy ? r.pick(['d_month_y', 'ord_month_y'] as const) : 'month_d_y')}`;
  d.nl();
  d.l`${x.nm(pt, r.pick(['title_first_last', 'title_initial_last'] as const))}`;
  addrBlock(d, pt.addr);
  d.nl();
  d.l`Dear ${x.nm(pt, r.chance(0.7) ? 'title_last' : 'first_only')},`;
  d.nl();
  d.l`Thank you for coming to see me in the ${x.sc.spec} clinic on ${x.date(x.now, x.dmy ? 'weekday_d_month_y' : 'weekday_month_d_y')}. I am writing to you, with a copy to your GP, to summarise what we discussed.`;
  d.nl();
  d.l`What we found: ${x.mk(x.sc.dx)}. ${x.mk(x.sc.inv)}`;
  d.nl();
  d.l`What happens next: ${x.mk(x.sc.plan)}`;
  d.nl();
  d.l`Your medicines:`;
  x.medList('  • ');
  d.nl();
  d.l`You mentioned that your ${x.kin.rel}, ${x.nm(x.kin, 'first_only', 'first_only_relation')}, helps with your tablets. With your permission I have added ${x.kin.sex === 'F' ? 'her' : 'his'} number (${x.ph(x.kin.phone)}) to your record as a contact.`;
  d.nl();
  d.l`If you have questions before your next appointment please contact my secretary, ${x.nm(makePerson(r, x.c, 'F', { dot: x.dot }), 'first_last')}, on ${x.ph(withExt(r, x.hosp.phone, x.c))} or e-mail ${x.orgMail(x.hosp)}. Useful information is available at ${x.orgUrl()}.`;
  if (r.chance(0.4)) d.l`If you feel very unwell, or have thoughts of harming yourself, call ${x.hot()} at any time.`;
  d.nl();
  d.l`Yours sincerely,`;
  d.nl();
  d.l`${x.doc(x.cons, 'full')}`;
  d.l`${x.cons.cred}`;
  d.l`Consultant in ${x.sc.spec}`;
  d.nl();
  d.l`Copy: ${x.doc(x.gp, 'init')}, ${x.prac.n}`;
  d.l`${x.mrnLabel()}: ${x.mrn()}   DOB: ${x.dateNum(pt.dob)}`;
};

const afterVisitSummary: Template = (x) => {
  const { d, r, pt } = x;
  d.l`${x.prac.n} — After Visit Summary`;
  d.l`${r.pick(['Printed', 'Generated'])} ${x.dateNum(x.now)} ${r.int(8, 17)}:${pad2(r.int(0, 59))}  |  EHR ${r.pick(['version', 'build', 'ver.'])} ${x.ver()}`;
  d.nl();
  d.l`${x.nm(pt, r.pick(['first_middle_last', 'caps_full', 'first_last'] as const))}   DOB: ${x.dateNum(pt.dob)}   ${x.mrnLabel()}: ${x.mrn()}`;
  d.l`Visit date: ${x.date(x.now)}   Provider: ${x.doc(x.gp, 'full')}, ${x.gp.cred}`;
  d.nl();
  d.l`Reason for visit: ${cap(x.sc.pc)}`;
  d.l`Vitals: BP ${r.int(110, 160)}/${r.int(60, 95)}  |  Pulse ${r.int(55, 105)}  |  Temp ${x.c === 'US' ? `${r.int(97, 99)}.${r.int(0, 9)} °F` : `${r.int(36, 37)}.${r.int(0, 9)} °C`}  |  Wt ${x.c === 'US' ? `${r.int(105, 260)} lb` : `${r.int(48, 120)} kg`}  |  SpO2 ${r.int(92, 99)}%`;
  d.nl();
  d.l`Diagnoses addressed today:`;
  d.l`  1. ${x.mk(x.sc.dx)}`;
  d.l`  2. ${r.pick(['Essential hypertension', 'Vitamin D deficiency', 'Hyperlipidemia', 'Chronic low back pain'])}`;
  d.nl();
  d.l`Your medication list:`;
  x.medList('  ☐ ');
  d.nl();
  d.l`Instructions: ${x.mk(x.sc.plan)}`;
  d.nl();
  d.l`Next appointment: ${x.date(addDays(x.now, r.int(14, 120)), x.dmy ? 'weekday_d_month_y' : 'weekday_month_d_y')} at ${r.int(8, 16)}:${r.pick(['00', '20', '40'])} with ${x.doc(x.gp, 'last')}.`;
  d.l`Address on file: ${addrInline(pt.addr)}  •  Phone on file: ${x.ph(pt.mobile)}  •  E-mail: ${x.em(pt.email)}`;
  d.l`Emergency contact: ${x.nm(x.kin, r.pick(['first_last', 'last_comma_first'] as const))} (${x.kin.rel}) ${x.ph(x.kin.phone)}`;
  d.nl();
  d.l`View your results online at ${x.portal(x.prac)}. After hours: ${x.hot()}. In an emergency call ${x.c === 'US' || x.c === 'CA' ? '911' : x.c === 'AU' ? '000' : x.c === 'NZ' ? '111' : x.c === 'IN' ? '112' : '999'}.`;
};

/* ------------------------------------------------------------------------ */
/* Templates: patient e-mails                                                */
/* ------------------------------------------------------------------------ */

function timeStr(r: Rng): string {
  return `${pad2(r.int(6, 22))}:${pad2(r.int(0, 59))}`;
}

function plainEmail(x: Ctx, p: Person, yob: number): Id {
  return emailId(x.r, p, x.c, yob, false);
}

const emailFromRelative: Template = (x) => {
  const { d, r, pt, kin } = x;
  const kinMail = plainEmail(x, kin, 1955 + r.int(0, 40));
  const ip = ipId(r);
  const sent = addDays(x.now, r.int(0, 3));
  const f = pt.sex === 'F';
  const rel = kin.rel === 'daughter' || kin.rel === 'son' ? (f ? r.pick(['mum', 'mother', 'mom']) : r.pick(['dad', 'father']))
    : kin.rel === 'wife' || kin.rel === 'husband' ? (f ? 'wife' : 'husband')
    : kin.rel === 'partner' ? 'partner'
    : kin.rel === 'sister' || kin.rel === 'brother' ? (f ? 'sister' : 'brother')
    : kin.rel === 'niece' || kin.rel === 'nephew' ? (f ? 'aunt' : 'uncle')
    : f ? r.pick(['nan', 'grandmother']) : r.pick(['grandad', 'grandfather']);
  d.l`From: "${x.nm(kin, 'first_last')}" <${x.em(kinMail)}>`;
  d.l`To: ${x.sc.spec} Appointments <${x.orgMail(x.hosp, 'appointments')}>`;
  d.l`Date: ${x.date(sent, 'rfc2822')} ${timeStr(r)}:${pad2(r.int(0, 59))} ${x.c === 'UK' || x.c === 'IE' ? '+0000' : x.c === 'IN' ? '+0530' : x.c === 'AU' ? '+1000' : x.c === 'NZ' ? '+1200' : '-0500'}`;
  d.l`Subject: ${r.pick(['Re: appointment', 'Question about my ' + rel + "'s care", 'Urgent - change of contact details', 'Follow up after discharge'])}`;
  const hdr = r.pick([['X-Originating-IP: [', ']'], ['Received: from [', '] by mx.mailhost.net with ESMTPSA'], ['X-Sender-IP: ', '']] as const);
  d.l`${hdr[0]}${x.id('IP', ip)}${hdr[1]}`;
  d.nl();
  d.l`${r.pick(['Hello', 'Hi there', 'Good morning', 'Dear team'])},`;
  d.nl();
  d.l`I'm writing on behalf of my ${rel}, ${x.nm(pt, r.pick(['first_last', 'first_middle_last'] as const))} (DOB ${x.dateNum(pt.dob)}, ${x.mrnLabel().toLowerCase()} ${x.mrn()}). ${x.He()} is ${x.age(pt.age, r.pick(['years_old', 'words'] as const))} and was seen by ${x.doc(x.cons, 'last')} on ${x.dateNY(x.now)} about ${x.sc.pc}.`;
  d.nl();
  d.l`Since then ${x.he()} has been ${r.pick(['more tired than usual', 'struggling with the new tablets', 'a bit confused in the evenings', 'off food'])}. Is it OK to keep giving ${x.drug(x.sc.meds[0]?.[0]?.split(' (')[0])}? The leaflet said to check with the team.`;
  d.nl();
  d.l`Could someone call me on ${x.ph(kin.phone)}? ${x.His()} landline is ${x.ph(pt.home)} but ${x.he()} doesn't always hear it.`;
  if (r.chance(0.6)) {
    const na = makeAddr(r, x.c);
    d.l`Also, please note ${x.his()} new address from ${x.dateNY(addDays(x.now, -r.int(5, 40)))}: ${addrInline(na)}.`;
  }
  d.nl();
  d.l`${r.pick(['Many thanks', 'Thanks so much', 'Kind regards', 'Best wishes'])},`;
  d.l`${x.nm(kin, 'first_only', 'first_only_signature')}`;
  if (r.chance(0.3)) d.l`(updates on ${x.his()} progress for the family: ${x.id('URL_PERSONAL', pt.url)})`;
  if (r.chance(0.5)) d.l`Sent from my iPhone`;
};

const emailPatientChain: Template = (x) => {
  const { d, r, pt } = x;
  const mail = plainEmail(x, pt, pt.dob.getUTCFullYear());
  const dev = otherDevice(r);
  const prev = addDays(x.now, -r.int(1, 20));
  d.l`Subject: ${r.pick(['Repeat prescription and device problem', 'RE: Your recent appointment', 'Query - ' + dev.name.split(' (')[0]])}`;
  d.l`From: ${x.em(mail)}`;
  d.l`To: ${x.orgMail(x.prac, r.pick(['reception', 'admin', 'prescriptions', 'info']))}`;
  d.l`Sent: ${x.date(x.now, x.dmy ? 'weekday_d_month_y' : 'weekday_month_d_y')} ${timeStr(r)}`;
  d.nl();
  d.l`${r.chance(0.5) ? ['Hi ', x.doc(x.gp, 'last')] : 'Hello'},`;
  d.nl();
  d.l`Could you please send a repeat of my ${x.drug(x.sc.meds[0]?.[0]?.split(' (')[0])} to the usual pharmacy? I have about four days left. For reference my ${pt.nhs ? ['NHS number is ', x.id('MRN', pt.nhs)] : [x.mrnLabel(), ' is ', x.mrn()]} and date of birth ${x.date(pt.dob)}.`;
  d.nl();
  d.l`Also my ${dev.name} has been showing an error since ${x.dateNY(addDays(x.now, -r.int(1, 6)))}. The serial number on the back is ${x.id('DEVICE', dev.serial)}. The supplier (helpline ${x.hot()}) said they need a letter from you before they can replace it.`;
  if (r.chance(0.4)) d.l`The app also lists the phone it's paired with as IMEI ${x.id('DEVICE', imei(r))}, in case that matters.`;
  d.nl();
  d.l`Thanks,`;
  d.l`${r.chance(0.5) ? x.nm(pt, 'first_last') : x.nm(pt, 'first_only', 'first_only_signature')}`;
  d.l`${r.pick(['Mob', 'Mobile', 'Cell', 'Ph'])}: ${x.ph(pt.mobile)}`;
  d.nl();
  d.l`${r.pick(['-----Original Message-----', '________________________________', '> '])}`;
  d.l`From: ${x.prac.n} <${x.orgMail(x.prac, 'info')}>`;
  d.l`Sent: ${x.date(prev)} ${timeStr(r)}`;
  d.l`To: ${x.em(mail)}`;
  d.nl();
  d.l`Dear ${x.nm(pt, 'title_last')},`;
  d.l`This is a reminder of your appointment with ${x.doc(x.gp, 'full')} on ${x.date(addDays(prev, r.int(2, 9)), x.dmy ? 'ord_month' : 'month_ord')} at ${r.int(8, 17)}:${r.pick(['00', '10', '30', '50'])}. Please do not reply to this automated message; to cancel call ${x.ph(x.prac.phone)}. Book online: ${x.portal(x.prac)}`;
};

const emailBilling: Template = (x) => {
  const { d, r, pt, kin } = x;
  const mail = plainEmail(x, pt, pt.dob.getUTCFullYear());
  const dos = addDays(x.now, -r.int(20, 120));
  d.l`To: ${x.orgMail(x.hosp, 'billing')}`;
  d.l`From: ${x.nm(pt, 'first_last')} <${x.em(mail)}>`;
  d.l`Date: ${x.date(x.now)}`;
  d.l`Subject: Account ${x.id('ACCOUNT', pt.acct)} - double charge`;
  d.nl();
  d.l`To whom it may concern,`;
  d.nl();
  d.l`I was charged twice for my ${r.pick(['outpatient visit', 'CT scan', 'emergency department visit', 'day surgery'])} on ${x.date(dos)}. ${x.c === 'US' ? ['My insurance is ', x.insr.n, ' (', x.insLabel(), ' ', x.id('ACCOUNT', pt.ins), ', group ', x.id('ACCOUNT', groupId(r)), ')'] : ['My ', x.insLabel(), ' is ', x.id('ACCOUNT', pt.ins)]} and the claim should have gone to them first.`;
  d.nl();
  d.l`My ${kin.rel === 'wife' || kin.rel === 'husband' || kin.rel === 'partner' ? kin.rel : 'partner'}, ${x.nmRel(kin)}, is the policy holder${r.chance(0.5) ? [' (policy ', x.id('ACCOUNT', policyId(r, x.c)), ')'] : ''}. ${kin.sex === 'F' ? 'She' : 'He'} already paid ${x.c === 'UK' || x.c === 'IE' ? '£' : x.c === 'IN' ? '₹' : '$'}${r.int(40, 900)}.${pad2(r.int(0, 99))} by card over the phone on ${x.dateNY(addDays(dos, r.int(10, 30)))}.`;
  d.nl();
  if (pt.natId && r.chance(0.5)) d.l`If you need to verify who I am, my ${x.natLabel()} is ${x.id('SSN', pt.natId)}${r.chance(0.4) ? [" and my driver's licence is ", x.id('LICENSE', pt.dl)] : ''}.`;
  d.l`Please refund the duplicate to the card or to our bank account ${x.id('ACCOUNT', bankAccount(r, x.c))}. You can reach me on ${x.ph(pt.mobile)} during the day.`;
  d.nl();
  d.l`Regards,`;
  d.l`${x.nm(pt, r.pick(['first_last', 'first_mi_last'] as const))}`;
  d.l`${addrInline(pt.addr)}`;
  if (r.chance(0.6)) d.l`(personal e-mail, please use this one: ${x.em(emailId(r, pt, x.c, pt.dob.getUTCFullYear(), true))})`;
};

/* ------------------------------------------------------------------------ */
/* Templates: laboratory and pathology reports                               */
/* ------------------------------------------------------------------------ */

interface LabRow { t: string; si: [string, string, string]; us: [string, string, string] }

const LAB_PANELS: readonly (readonly LabRow[])[] = [
  [
    { t: 'Haemoglobin', si: ['102', 'g/L', '115-165'], us: ['10.2', 'g/dL', '12.0-15.5'] },
    { t: 'White cell count', si: ['13.8', 'x10^9/L', '4.0-11.0'], us: ['13.8', 'K/uL', '4.5-11.0'] },
    { t: 'Platelets', si: ['412', 'x10^9/L', '150-400'], us: ['412', 'K/uL', '150-400'] },
    { t: 'MCV', si: ['78', 'fL', '80-100'], us: ['78', 'fL', '80-100'] },
    { t: 'Neutrophils', si: ['11.2', 'x10^9/L', '2.0-7.5'], us: ['11.2', 'K/uL', '1.8-7.7'] },
  ],
  [
    { t: 'Sodium', si: ['131', 'mmol/L', '133-146'], us: ['131', 'mEq/L', '135-145'] },
    { t: 'Potassium', si: ['5.4', 'mmol/L', '3.5-5.3'], us: ['5.4', 'mEq/L', '3.5-5.1'] },
    { t: 'Urea', si: ['11.6', 'mmol/L', '2.5-7.8'], us: ['32', 'mg/dL (BUN)', '7-20'] },
    { t: 'Creatinine', si: ['148', 'umol/L', '45-84'], us: ['1.67', 'mg/dL', '0.6-1.1'] },
    { t: 'eGFR', si: ['38', 'mL/min/1.73m2', '>60'], us: ['38', 'mL/min/1.73m2', '>60'] },
  ],
  [
    { t: 'Bilirubin', si: ['18', 'umol/L', '<21'], us: ['1.1', 'mg/dL', '0.1-1.2'] },
    { t: 'ALT', si: ['64', 'U/L', '<33'], us: ['64', 'U/L', '7-56'] },
    { t: 'ALP', si: ['188', 'U/L', '30-130'], us: ['188', 'U/L', '44-147'] },
    { t: 'Albumin', si: ['31', 'g/L', '35-50'], us: ['3.1', 'g/dL', '3.5-5.0'] },
  ],
  [
    { t: 'TSH', si: ['<0.01', 'mU/L', '0.27-4.2'], us: ['<0.01', 'uIU/mL', '0.4-4.0'] },
    { t: 'Free T4', si: ['41.3', 'pmol/L', '12-22'], us: ['3.2', 'ng/dL', '0.8-1.8'] },
    { t: 'HbA1c', si: ['71', 'mmol/mol', '20-41'], us: ['8.6', '%', '4.0-5.6'] },
  ],
  [
    { t: 'CRP', si: ['96', 'mg/L', '<5'], us: ['9.6', 'mg/dL', '<0.5'] },
    { t: 'INR', si: ['2.8', '', '0.8-1.2'], us: ['2.8', '', '0.8-1.2'] },
    { t: 'Ferritin', si: ['9', 'ug/L', '15-200'], us: ['9', 'ng/mL', '15-200'] },
    { t: 'Vitamin B12', si: ['142', 'ng/L', '197-771'], us: ['142', 'pg/mL', '200-900'] },
  ],
];

const labTable: Template = (x) => {
  const { d, r, pt } = x;
  const si = x.c !== 'US';
  const y = x.now.getUTCFullYear();
  const coll = x.now;
  d.l`${r.pick(['LABORATORY REPORT', 'Clinical Chemistry & Haematology', 'CUMULATIVE LAB REPORT'])}          ${x.hosp.n} ${r.pick(['Laboratory Medicine', 'Pathology Services', 'Core Lab'])}`;
  d.l`${addrInline(x.hosp.addr)}  ${x.ph(x.hosp.phone)}`;
  d.nl();
  d.l`Patient: ${x.nm(pt, r.pick(['caps_last_comma_first', 'last_first_caps_compact'] as const))}     ${x.mrnLabel()}: ${x.mrn()}`;
  d.l`DOB: ${x.dateNum(pt.dob)}   ${x.age(pt.age, 'age_label', pt.sex)}   Sex: ${pt.sex === 'F' ? 'Female' : 'Male'}`;
  d.l`Accession: ${x.id('MRN', accessionId(r, y, r.pick(['C', 'H', 'LAB', 'B'])))}     Location: ${r.pick(['ED', 'Ward 7', 'OPD', '4 West', 'AMU', 'Clinic B'])}`;
  const h0 = r.int(6, 15);
  d.l`Collected: ${x.dateNum(coll)} ${pad2(h0)}:${pad2(r.int(0, 59))}   Received: ${x.dateNum(coll)} ${pad2(h0 + 1)}:${pad2(r.int(0, 59))}   Reported: ${x.dateNum(coll)} ${pad2(h0 + r.int(3, 8))}:${pad2(r.int(0, 59))}`;
  d.l`Ordering provider: ${x.doc(x.jr, r.pick(['full', 'init'] as const))}${x.c === 'US' ? [' (NPI ', x.id('LICENSE', npi(r)), ')'] : ''}`;
  d.nl();
  d.l`${'TEST'.padEnd(22)}${'RESULT'.padEnd(9)}${'FLAG'.padEnd(6)}${'UNITS'.padEnd(16)}REFERENCE`;
  for (const panel of r.sample(LAB_PANELS, 2)) {
    for (const row of panel) {
      const [v, u, ref] = si ? row.si : row.us;
      const flag = r.chance(0.6) ? (r.chance(0.5) ? 'H' : 'L') : '';
      d.l`${row.t.padEnd(22)}${v.padEnd(9)}${flag.padEnd(6)}${u.padEnd(16)}${ref}`;
    }
  }
  d.nl();
  d.l`Comment: ${r.pick(['Sample mildly haemolysed; potassium may be falsely raised.', 'Result phoned to ward.', 'Please repeat in 1 week.', 'Reference ranges updated this year.'])}${r.chance(0.5) ? [' Critical value telephoned to ', x.nm(x.nurse, r.pick(['first_last', 'initial_last'] as const)), ' at ', timeStr(r), ' on ', x.dateNY(coll), '.'] : ''}`;
  d.l`Verified by: ${x.nm(makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot }), r.pick(['initial_last', 'first_last'] as const))}, ${x.c === 'US' ? 'MLS(ASCP)' : 'BMS'}   ${x.dateNum(addDays(coll, r.int(0, 1)))}`;
  d.l`Analyser: ${r.pick(['Cobas 8000', 'Atellica CH', 'Alinity ci', 'Sysmex XN-1000'])}, software ${x.ver()}; LIS ${x.ver()}`;
  d.l`Copy to: ${x.doc(x.gp, 'init')}, ${x.prac.n}${r.chance(0.4) ? ['; results also released to patient portal ', x.portal(x.hosp)] : ''}`;
};

interface Specimen { spec: string; clin: string; macro: string; micro: string; concl: string; req: string }

const SPECIMENS: readonly Specimen[] = [
  { spec: 'Skin ellipse, left nasal ala', clin: 'Pearly nodule ?BCC', macro: 'Ellipse of skin 14 x 8 x 5 mm bearing a 6 mm pale nodule.', micro: 'Nodular basal cell carcinoma, peripheral palisading, clear margins (closest deep 1.2 mm).', concl: 'Nodular basal cell carcinoma, completely excised.', req: 'Dermatology' },
  { spec: 'Colonic polyp, sigmoid, 18 cm', clin: 'Polyp at screening colonoscopy', macro: 'Polyp 11 mm on a short stalk.', micro: 'Tubular adenoma with low-grade dysplasia; stalk free of neoplasia.', concl: 'Tubular adenoma, low-grade dysplasia, completely excised.', req: 'Gastroenterology' },
  { spec: 'Lymph node, left supraclavicular (excision)', clin: 'Lymphadenopathy, night sweats', macro: 'Nodular tissue 32 x 20 x 15 mm.', micro: 'Nodules separated by collagen bands containing lacunar and {e:Reed-Sternberg} cells; CD30+, CD15+, CD20-, PAX5 weak.', concl: 'Classical {e:Hodgkin lymphoma}, nodular sclerosis type.', req: 'Haematology' },
  { spec: 'Prostate, 12 systematic cores', clin: 'PSA 11.2, PI-RADS 4 lesion left PZ', macro: 'Twelve cores, 8-16 mm.', micro: 'Acinar adenocarcinoma in 4/12 cores, maximum core length 7 mm; {e:Gleason score} 3+4=7 (Grade Group 2). No perineural invasion.', concl: 'Prostatic adenocarcinoma, {e:Gleason} 3+4=7.', req: 'Urology' },
  { spec: 'Breast core biopsy, right, 10 o\'clock', clin: 'Screen-detected mass, M5 U5', macro: 'Three cores, up to 15 mm.', micro: 'Invasive ductal carcinoma of no special type, {e:Nottingham grade} 2. ER 8/8, PR 6/8, HER2 1+.', concl: 'Invasive breast carcinoma (NST), grade 2.', req: 'Breast Surgery' },
  { spec: 'Gastric antral and body biopsies', clin: 'Dyspepsia, iron deficiency', macro: 'Four fragments, 2-4 mm.', micro: 'Chronic active gastritis with Helicobacter-like organisms; no intestinal metaplasia.', concl: 'H. pylori associated chronic active gastritis.', req: 'Gastroenterology' },
  { spec: 'Oesophageal biopsies, 32-38 cm', clin: "{e:Barrett's oesophagus} surveillance", macro: 'Eight fragments.', micro: 'Columnar mucosa with goblet cells; no dysplasia.', concl: "{e:Barrett's oesophagus} (intestinal metaplasia), negative for dysplasia.", req: 'Gastroenterology' },
  { spec: 'Total thyroidectomy', clin: 'Goitre, compressive symptoms', macro: 'Thyroid 68 g.', micro: 'Diffuse lymphoplasmacytic infiltrate with germinal centres and Hürthle cell change.', concl: "{e:Hashimoto's thyroiditis}. No malignancy.", req: 'Endocrine Surgery' },
];

const histopath: Template = (x) => {
  const { d, r, pt } = x;
  const s = r.pick(SPECIMENS);
  const y = x.now.getUTCFullYear();
  const recv = addDays(x.now, -r.int(3, 12));
  const surgeon = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot });
  const surgTitle = x.c === 'UK' || x.c === 'IE' ? (surgeon.sex === 'F' ? r.pick(['Ms', 'Miss']) : 'Mr') : x.dr;
  const sg: Person = { ...surgeon, title: surgTitle };
  d.l`${x.hosp.n} — ${r.pick(['Department of Cellular Pathology', 'Anatomical Pathology', 'SURGICAL PATHOLOGY'])}`;
  d.l`${r.pick(['HISTOPATHOLOGY REPORT', 'Surgical Pathology Report', 'Final Pathology Report'])}`;
  d.nl();
  d.l`Surname: ${P('NAME', 'caps_surname_field', pt.last.toUpperCase())}     Forename(s): ${P('NAME', 'forename_field', pt.middle ? `${pt.first} ${pt.middle}` : pt.first)}`;
  d.l`DOB: ${x.date(pt.dob)}    Sex: ${pt.sex}    ${pt.nhs ? ['NHS No: ', x.id('MRN', pt.nhs), '    '] : ''}${x.mrnLabel()}: ${x.mrn()}`;
  d.l`Lab No: ${x.id('MRN', accessionId(r, y, r.pick(['H', 'S', 'SP'])))}    Received: ${x.date(recv)}    Reported: ${x.date(x.now)}`;
  d.l`Requesting clinician: ${x.nm(sg, r.pick(['title_last', 'title_initial_last'] as const))}, ${s.req}`;
  d.nl();
  d.l`SPECIMEN: ${s.spec}`;
  d.l`CLINICAL DETAILS: ${x.mk(s.clin)}${r.chance(0.4) ? [' ', x.age(pt.age, 'sex_compact', pt.sex), '.'] : ''}`;
  d.l`MACROSCOPY: ${s.macro}`;
  d.l`MICROSCOPY: ${x.mk(s.micro)}`;
  d.l`CONCLUSION: ${x.mk(s.concl)}`;
  if (r.chance(0.5)) d.l`Reporting follows the dataset of ${x.cite()}.`;
  d.nl();
  d.l`Reported by: ${x.doc(x.cons, 'full')}, ${r.pick(['FRCPath', 'FRCPA', 'MD', 'FRCPC'])}, Consultant ${r.pick(['Histopathologist', 'Pathologist'])}   ${x.dateNum(x.now)}`;
  if (r.chance(0.5)) d.l`Second opinion: ${x.doc(x.jr, 'init')} (agrees)`;
  d.l`Copy to: ${x.doc(x.gp, 'init')}; ${x.nm(sg, 'title_last')}; MDT coordinator (${x.orgMail(x.hosp, 'mdt.coordinator')})`;
};

const labCommunity: Template = (x) => {
  const { d, r, pt } = x;
  const india = x.c === 'IN';
  const labName = india ? r.pick(['Precision Diagnostics', 'Metro Path Labs', 'Sanjivani Diagnostic Centre']) : r.pick(['Northern Community Pathology', 'Healthscope Collection Centre', 'Central Diagnostic Laboratory']);
  const dom = slug(labName) + (india ? '.in' : x.c === 'AU' ? '.com.au' : x.c === 'NZ' ? '.co.nz' : x.c === 'UK' ? '.co.uk' : '.com');
  const labOrg: Org = { ...x.hosp, n: labName, dom };
  d.l`${labName.toUpperCase()}${india ? '   (NABL Accredited)' : ''}`;
  d.l`${addrInline(x.hosp.addr)}`;
  d.l`Customer care: ${x.hot()}   ${x.orgMail(labOrg, r.pick(['info', 'reports', 'care']))}   ${K('org_url', 'www.' + dom)}`;
  d.nl();
  d.l`Patient Name : ${x.nm(pt, r.pick(['title_first_last', 'caps_full'] as const))}`;
  d.l`Age / Gender : ${x.ageN(pt.age, 'age_label')} ${india ? 'Years' : 'Y'} / ${pt.sex === 'F' ? 'Female' : 'Male'}`;
  d.l`Ref. By      : ${x.doc(x.gp, r.pick(['full', 'init'] as const))}`;
  d.l`${(x.mrnLabel() + '      ').slice(0, 12)} : ${x.mrn()}`;
  d.l`Sample ID    : ${x.id('MRN', accessionId(r, x.now.getUTCFullYear(), r.pick(['S', 'PD', 'MP'])))}`;
  d.l`Reg. Date    : ${x.dateNum(x.now)} 0${r.int(7, 9)}:${pad2(r.int(0, 59))}     Report Date : ${x.dateNum(addDays(x.now, r.int(0, 2)))} ${r.int(12, 20)}:${pad2(r.int(0, 59))}`;
  d.l`Mobile       : ${x.ph(pt.mobile)}`;
  if (r.chance(0.5)) d.l`ID Proof     : ${pt.natId && r.chance(0.6) ? [x.natLabel(), ' ', x.id('SSN', pt.natId)] : ['DL ', x.id('LICENSE', pt.dl)]}`;
  d.nl();
  d.l`TEST NAME                      RESULT      UNIT          BIO. REF. INTERVAL`;
  for (const row of r.pick(LAB_PANELS)) {
    const [v, u, ref] = row.si;
    d.l`${row.t.padEnd(31)}${v.padEnd(12)}${u.padEnd(14)}${ref}`;
  }
  d.nl();
  d.l`Interpretation: ${r.pick(['Values to be correlated clinically.', 'Suggested repeat after 3 months.', 'Fasting sample.'])} Method as per ${x.cite()}.`;
  d.l`Sample collected at home by ${x.nm(makePerson(r, x.c, 'M', { dot: x.dot }), 'first_only', 'first_only_staff')} (phlebotomist) from ${addrInline(pt.addr)}.`;
  d.nl();
  d.l`${x.doc(x.cons, 'full')}`;
  d.l`MD (Pathology), ${x.cons.reg.label} ${x.id('LICENSE', x.cons.reg.id)}`;
  d.l`*** End of Report ***`;
};

/* ------------------------------------------------------------------------ */
/* Templates: online patient forum posts                                     */
/* ------------------------------------------------------------------------ */

const HANDLES = ['tiredcarer', 'northernlass', 'cuppa_and_biscuits', 'hopeful_mum', 'steelcityjim', 'marathon_dad', 'spoonie_life', 'kiwicarer', 'quietreader', 'newbie2024', 'sunflower88', 'grumpy_knees', 'daughterof4', 'coastalgran', 'night_owl_nurse'];
const FORUMS = ['CarersConnect', 'HealthTalk Community', 'Living With It forum', 'PatientVoices', 'The Waiting Room'];

function forumHeader(x: Ctx, when: Date): void {
  const { d, r } = x;
  d.l`${r.pick(FORUMS)} › ${r.pick(['Caring for someone', 'Newly diagnosed', 'Medication questions', 'Hospital stays', 'General chat'])}`;
  d.l`Posted by ${r.pick(HANDLES)} ${r.pick(['on', '»', '—'])} ${x.date(when, x.dmy ? r.pick(['d_mon_y', 'dmy_slash', 'weekday_d_month_y'] as const) : r.pick(['mon_d_y', 'mdy_slash', 'weekday_month_d_y'] as const))} ${timeStr(x.r)}`;
  d.nl();
}

const forumCarer: Template = (x) => {
  const { d, r, pt, kin } = x;
  const parent = pt.sex === 'F' ? r.pick(['mum', 'mom', 'mother', 'Mum']) : r.pick(['dad', 'father', 'Dad']);
  forumHeader(x, x.now);
  d.l`${r.pick(['Advice please', 'Long post, sorry', 'Feeling lost', 'Anyone been through this?'])} – ${parent} just diagnosed with ${x.mk(x.sc.dx.replace(/\(.*?\)/g, '').trim())}`;
  d.nl();
  d.l`Hi all, long-time lurker, first post. My ${parent} (${x.nm(pt, r.pick(['first_only', 'first_last'] as const))}) is ${x.age(pt.age, r.pick(['years_old', 'words'] as const))} and was admitted to ${x.hosp.n} in ${townProse(pt.addr)} on ${x.dateNY(x.adm)} with ${x.sc.pc}. ${x.His()} consultant, ${x.doc(x.cons, r.pick(['last', 'full'] as const))}, says ${x.he()} is ${r.pick(['doing OK', 'not out of the woods yet', 'responding to treatment', 'stable'])}. The discharge letter says: "${x.mk((x.sc.course.split('. ')[0] ?? '').replace(/\.$/, ''))}."`;
  d.nl();
  d.l`${x.He()}'s now on ${x.drug(x.sc.meds[0]?.[0]?.split(' (')[0])} and ${x.drug(x.sc.meds[1]?.[0]?.split(' (')[0] ?? undefined)} and honestly seems worse. Is that normal? ${r.pick(['The nurses were lovely but rushed off their feet.', 'Nobody explains anything.', 'I keep googling at 3am which is not helping.'])}`;
  d.nl();
  const sib = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { last: kin.last, dot: x.dot });
  d.l`My ${sib.sex === 'F' ? 'sister' : 'brother'} ${x.nm(sib, 'first_only', 'first_only_relation')} is flying over ${r.chance(0.5) ? ['from abroad (', x.ph(intlOtherPhone(r)), ' if any of the family read this!)'] : 'next week'} and we've set up a page to cover the travel and care costs: ${x.id('URL_PERSONAL', personalUrl(r, pt, pt.dob.getUTCFullYear(), 'fund'))}`;
  d.nl();
  d.l`If anyone has been through this and doesn't mind me picking their brains, email me at ${x.em(emailId(r, kin, x.c, 1970 + r.int(0, 25), true))} or text ${x.ph(kin.phone)}. ${r.pick(['The charity helpline', 'The helpline'])} (${x.hot()}) was also useful and ${x.orgUrl()} has a good page.`;
  d.nl();
  d.l`Thanks for reading x`;
  d.l`${x.nm(kin, 'first_only', 'first_only_signature')}`;
  d.nl();
  d.l`[${r.pick(['Moderator note', 'Mod'])}: personal details left in at the poster's request. Logged from ${x.id('IP', ipId(r))}]`;
};

const forumPatient: Template = (x) => {
  const { d, r, pt } = x;
  const diag = addDays(x.now, -r.int(100, 1500));
  forumHeader(x, x.now);
  d.l`${r.pick(['My story', 'Two years on', 'Finally some good news', 'Diagnosis day anniversary'])} (${x.mk(x.sc.dx.split(' (')[0] ?? x.sc.dx)})`;
  d.nl();
  d.l`I'm ${x.nm(pt, 'first_only')}, ${x.age(pt.age, r.pick(['years_old', 'aged'] as const))}, from ${townProse(pt.addr)}. I was diagnosed on ${x.date(diag, x.dmy ? r.pick(['ord_month_y', 'd_month_y', 'dmy_short'] as const) : r.pick(['month_d_y', 'mdy_short'] as const))} after ${x.sc.pc} that I'd ignored for months.`;
  d.nl();
  d.l`${r.pick(['The tests showed: ', 'Results (copied from the portal): ', 'For the data nerds: '])}${x.mk(x.sc.inv)}`;
  d.nl();
  d.l`My ${r.pick(['specialist', 'consultant', 'doctor'])}, ${x.doc(x.cons, r.pick(['last', 'full'] as const))}, put me on ${x.drug(x.sc.meds[0]?.[0]?.split(' (')[0])} and later ${x.drug()}. ${r.pick(['Side effects were rough for the first month.', 'It took a while to find the right dose.', 'Honestly it changed my life.'])} There's a decent review on this (${x.cite()}) if you want the evidence.`;
  d.nl();
  d.l`${r.pick(['Shout-out to', 'Massive thanks to', 'Big thank you to'])} ${x.nm(x.nurse, r.pick(['first_only', 'first_last'] as const))}, the specialist nurse, and to my ${x.kin.rel} ${x.nm(x.kin, 'first_only', 'first_only_relation')} for putting up with me.`;
  d.nl();
  d.l`I've been writing about the whole thing here: ${x.id('URL_PERSONAL', personalUrl(r, pt, pt.dob.getUTCFullYear()))}${r.chance(0.5) ? [' and you can find me at ', x.id('URL_PERSONAL', personalUrl(r, pt, pt.dob.getUTCFullYear()))] : ''}.`;
  d.l`For anyone newly diagnosed: ${x.orgUrl()} and the support line ${x.hot()} are a good start. Happy to chat – ${x.em(pt.email)}.`;
  d.nl();
  d.l`${x.nm(pt, 'first_only', 'first_only_signature')} ${r.pick(['x', ':)', '', '🙂'])}`;
};

const forumThread: Template = (x) => {
  const { d, r, pt } = x;
  const t0 = x.now;
  d.l`Thread: ${r.pick(['Waiting times for', 'Experiences with', 'Questions about'])} ${x.mk(x.sc.dx.split(' (')[0]?.split(';')[0] ?? x.sc.dx)} – ${x.hosp.n}?`;
  d.nl();
  d.l`#1  ${r.pick(HANDLES)}  ·  ${x.date(t0, x.dmy ? 'd_mon_y' : 'mon_d_y')}`;
  d.l`Has anyone been under ${x.doc(x.cons, r.pick(['last', 'init'] as const))} at ${x.hosp.n}? I've been referred and the letter says my appointment is on ${x.dateNY(addDays(t0, r.int(20, 90)))}. I'm on ${x.drug()} meanwhile.${r.chance(0.4) ? [' (I post updates at ', x.id('URL_PERSONAL', personalUrl(r, pt, pt.dob.getUTCFullYear())), ')'] : ''}`;
  d.l`[ip: ${x.id('IP', ipId(r))}]`;
  d.nl();
  const p2 = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot });
  const a2 = 90 + r.int(0, 8);
  d.l`#2  ${r.pick(HANDLES)}  ·  ${x.date(addDays(t0, 1), x.dmy ? 'd_mon_y' : 'mon_d_y')}`;
  const cs = x.cons.sex === 'F';
  d.l`Yes! ${cs ? 'She' : 'He'}'s brilliant. I'm ${x.age(a2, r.pick(['years_old', 'words'] as const))} and ${cs ? 'she' : 'he'} still treated me like I had years ahead of me. Tell ${cs ? 'her' : 'him'} ${x.nm(p2, r.pick(['first_last', 'title_last'] as const))} from ${townProse(makeAddr(r, x.c))} says hello. ${r.chance(0.5) ? ['My grandson set this account up for me – ', x.nm(makePerson(r, x.c, 'M', { last: p2.last, dot: x.dot }), 'first_only', 'first_only_relation'), ' if you are reading, thank you.'] : ''}`;
  d.l`[ip: ${x.id('IP', ipId(r))}]`;
  d.nl();
  d.l`#3  ${r.pick(HANDLES)}  ·  ${x.date(addDays(t0, 2), x.dmy ? 'd_mon_y' : 'mon_d_y')}`;
  d.l`Not my experience, sadly. My ${pt.sex === 'F' ? 'wife' : 'husband'} ${x.nm(pt, 'first_only', 'first_only_relation')} waited ${r.int(5, 30)} weeks. If you're struggling ring PALS on ${x.ph(x.hosp.phone)} or e-mail ${x.orgMail(x.hosp, 'pals')}. Also the ${x.epo()} charity line ${x.hot()}. You can message me privately: ${x.em(emailId(r, x.kin, x.c, 1965 + r.int(0, 30), true))}.`;
  d.l`[ip: ${x.id('IP', ipId(r))}]`;
};

/* ------------------------------------------------------------------------ */
/* Templates: nursing and progress notes                                     */
/* ------------------------------------------------------------------------ */

const nursingTimeline: Template = (x) => {
  const { d, r, pt, kin } = x;
  const day1 = addDays(x.adm, r.int(0, 2));
  const day2 = addDays(day1, 1);
  const nurse2 = makePerson(r, x.c, r.chance(0.7) ? 'F' : 'M', { dot: x.dot });
  d.l`NURSING NOTES — ${r.pick(['Ward', 'Ward', 'Unit'])} ${r.int(1, 30)}, ${x.hosp.n}`;
  d.l`Patient: ${x.nm(pt, r.pick(['caps_last_comma_first', 'first_last', 'last_comma_first'] as const))}   ${x.mrnLabel()}: ${x.mrn()}   DOB: ${x.dateNum(pt.dob)}   Bed ${r.int(1, 32)}`;
  d.nl();
  d.l`${x.dateNum(day1)} 07:${pad2(r.int(10, 55))} — ${x.nm(x.nurse, r.pick(['first_last', 'initial_last'] as const))}, ${x.nurse.cred}`;
  d.l`  Handover received. ${x.age(pt.age, r.pick(['year_old', 'sex_compact', 'yo'] as const), pt.sex)} admitted with ${x.sc.pc}. Obs: T ${r.int(36, 38)}.${r.int(0, 9)}, HR ${r.int(60, 115)}, BP ${r.int(95, 165)}/${r.int(55, 95)}, RR ${r.int(14, 26)}, SpO2 ${r.int(89, 99)}%. NEWS2 ${r.int(0, 7)}.`;
  d.l`  ${r.pick(['Pressure areas intact, repositioned 2-hourly.', 'Eating 50% of meals, fluid chart commenced.', 'Mobilising with frame and 1 assist.', 'Catheter draining clear urine.'])}`;
  d.nl();
  d.l`${x.dateNum(day1)} ${pad2(r.int(12, 17))}:${pad2(r.int(0, 59))} — ${x.nm(x.nurse, 'initial_last')}`;
  d.l`  ${cap(kin.rel)} ${x.nm(kin, 'first_only', 'first_only_relation')} visited and was updated on plan. ${kin.sex === 'F' ? 'She' : 'He'} asks to be called on ${x.ph(kin.phone)} if any change overnight. ${x.He()} ${r.pick(['appeared settled after the visit.', 'was tearful after the visit; reassured.', 'asked when ' + x.he() + ' can go home to ' + x.pt.addr.townRaw.n + '.'])}`;
  d.l`  Reviewed by ${x.doc(x.jr, r.pick(['last', 'init'] as const))} – ${x.mk(x.sc.course.split('. ')[0] ?? '')}.`;
  d.nl();
  d.l`${x.dateNum(day2)} 02:${pad2(r.int(0, 59))} — ${x.nm(nurse2, r.pick(['first_last', 'initial_last'] as const))}, ${r.pick(['RN', 'Staff Nurse', 'EN'])}`;
  d.l`  Pt awake, ${r.pick(['restless', 'confused, calling for ' + (pt.sex === 'F' ? 'her husband' : 'his wife'), 'in pain 6/10', 'asking for a cup of tea'])}. PRN ${x.drug(r.pick(['paracetamol', 'oxycodone', 'haloperidol', 'zopiclone', 'lorazepam']))} given with effect.`;
  d.l`  ${x.nm(pt, 'title_last')} told me ${x.he()} lives at ${A(pt.addr.street)} and wants to phone ${x.his()} neighbour on ${x.ph(phoneId(r, x.c, 'land', pt.addr.townRaw))} to feed the cat. Number added to the notes.`;
  d.nl();
  d.l`${x.date(day2, x.dmy ? r.pick(['dm_slash', 'd_mon_y'] as const) : r.pick(['md_slash', 'mon_d'] as const))} 09:${pad2(r.int(0, 59))} — ${x.nm(x.nurse, 'first_only', 'first_only_signature')} (${x.nurse.reg.label} ${x.id('LICENSE', x.nurse.reg.id)})`;
  d.l`  Ward round with ${x.doc(x.cons, 'last')}. Plan: ${x.mk(x.sc.plan)}`;
  d.l`  Medication changes: ${x.sc.meds.slice(0, 2).map((m, i) => [i ? '; ' : '', medLine(m)])}.`;
};

const progressSOAP: Template = (x) => {
  const { d, r, pt, kin } = x;
  const hd = r.int(2, 6);
  const dt = addDays(x.adm, hd - 1);
  d.l`${r.pick(['PROGRESS NOTE', 'Hospitalist Progress Note', 'Daily Progress Note'])} — Hospital Day ${hd}`;
  d.l`Date of service: ${x.date(dt)}     ${r.pick(['Rm', 'Room', 'Bed'])} ${r.int(200, 899)}-${r.pick(['A', 'B'])}`;
  d.l`Pt: ${x.nm(pt, r.pick(['last_first_caps_compact', 'caps_last_comma_first'] as const))}   ${x.mrnLabel()} ${x.mrn()}   Acct ${x.id('ACCOUNT', pt.acct)}${x.c === 'US' && pt.natId && r.chance(0.4) ? ['   ', x.natLabel(), ' ', x.id('SSN', pt.natId)] : ''}`;
  d.nl();
  d.l`S: ${x.age(pt.age, r.pick(['yo', 'sex_compact', 'year_old'] as const), pt.sex)} ${x.c === 'US' ? 'pt' : 'patient'} admitted ${x.dateNY(x.adm)} w/ ${x.sc.pc}. ${r.pick(['Slept poorly.', 'Feels better today.', 'Reports less pain.', 'No overnight events.'])} ${r.pick(['Tolerating diet.', 'Nauseated after breakfast.', 'Ambulated in hallway x2.'])}`;
  d.l`O: T ${x.c === 'US' ? `${r.int(97, 100)}.${r.int(0, 9)}` : `${r.int(36, 38)}.${r.int(0, 9)}`}  HR ${r.int(60, 110)}  BP ${r.int(100, 160)}/${r.int(55, 95)}  RR ${r.int(12, 24)}  SpO2 ${r.int(90, 99)}% ${r.pick(['RA', '2L NC', 'on air'])}`;
  d.l`   ${x.mk(x.sc.exam)}`;
  d.l`   Labs: ${x.mk(x.sc.inv)}`;
  d.l`A/P: ${x.mk(x.sc.dx)}`;
  d.l`   - ${x.mk(x.sc.course)}`;
  d.l`   - Continue ${x.sc.meds.slice(0, 3).map((m, i) => [i ? ', ' : '', drugShort(m)])}`;
  d.l`   - DVT ppx: ${x.drug(r.pick(['enoxaparin', 'heparin', 'dalteparin']))}`;
  d.l`   - Dispo: ${r.pick(['likely home in 1-2 days', 'PT/OT eval pending', 'awaiting SNF bed', 'home with services'])}. Spoke with ${kin.rel} (${r.chance(0.3) ? x.nm(kin, 'title_last') : x.nmRel(kin)}) at ${x.ph(kin.phone)}; agrees with plan.`;
  if (r.chance(0.5)) d.l`   - Code status: ${r.chance(0.4) ? 'Full code' : [r.pick(['DNR/DNI per MOLST dated ', 'DNACPR in place since ']), x.date(addDays(x.adm, -r.int(30, 400)))]}`;
  d.nl();
  d.l`${x.nm(x.jr, r.pick(['first_last', 'first_mi_last'] as const))}, ${r.pick(['MD', 'DO', 'PA-C', 'NP'])} — pager ${r.int(1000, 9999)}`;
  d.l`Attending attestation: I saw and examined the patient with ${x.doc(x.jr, 'last')} and agree with the plan above. ${x.doc(x.cons, 'full')} ${x.dateNum(dt)} ${timeStr(r)}`;
};

const communityVisit: Template = (x) => {
  const { d, r, pt } = x;
  const dev = otherDevice(r);
  const when = x.now;
  d.l`${x.c === 'AU' ? r.pick(['Hospital in the Home', 'Community Nursing']) : x.c === 'NZ' ? r.pick(['District Nursing', 'Community Nursing Service']) : x.c === 'IE' ? 'Public Health Nursing' : r.pick(['District Nursing Service', 'Community Nursing Team'])} — ${r.pick(['Home Visit Record', 'Visit Note'])}`;
  d.l`Team base: ${x.prac.n}, ${x.ph(x.prac.phone)}`;
  d.nl();
  d.l`Client: ${x.nm(pt, r.pick(['first_middle_last', 'title_first_last', 'caps_last_comma_first'] as const))}   ${pt.nhs ? ['NHS ', x.id('MRN', pt.nhs)] : [x.mrnLabel(), ' ', x.mrn()]}`;
  d.l`Address:`;
  addrBlock(d, pt.addr, '  ');
  d.l`Access: ${r.pick(['key safe (code held by the office)', 'ring bell and wait, hard of hearing', 'side gate, dog in the garden', 'carer lets us in'])}`;
  d.l`Visit: ${x.date(when)} ${timeStr(r)}   Reason: ${r.pick(['wound care (leg ulcer)', 'insulin administration', 'catheter change', 'post-discharge review', 'palliative symptom review'])}`;
  d.nl();
  d.l`Seen at home with ${x.his()} ${x.kin.rel} ${x.nmRel(x.kin)} present. ${x.He()} is ${x.age(pt.age, r.pick(['years_old', 'words', 'aged'] as const))} and ${r.pick(['lives alone', 'lives with ' + x.his() + ' ' + x.kin.rel, 'has carers four times a day'])}.`;
  d.l`Obs: BP ${r.int(100, 160)}/${r.int(55, 95)}, P ${r.int(55, 105)}, BM ${r.int(4, 16)}.${r.int(0, 9)}. ${x.mk(x.sc.exam.split('. ')[0] ?? '')}.`;
  d.l`Equipment in home: ${dev.name}, serial ${x.id('DEVICE', dev.serial)}${r.chance(0.4) ? ['; pendant alarm base unit MAC ', x.id('DEVICE', macId(r))] : ''}. Checked and working.`;
  d.l`Medicines in blister pack: ${x.sc.meds.slice(0, 3).map((m, i) => [i ? ', ' : '', drugShort(m)])}.`;
  d.nl();
  d.l`Plan: next visit ${x.date(addDays(when, r.int(2, 7)), x.dmy ? r.pick(['weekday_ord_month', 'd_month', 'dm_slash'] as const) : r.pick(['weekday_mon_d', 'month_d', 'md_slash'] as const))}. GP (${x.doc(x.gp, r.pick(['last', 'init'] as const))}) informed by phone re ${r.pick(['increasing exudate', 'raised BMs', 'low mood', 'reduced oral intake'])}.`;
  d.l`Out-of-hours: ${x.hot()}`;
  d.nl();
  d.l`Signed: ${P('NAME', 'first_last_initial', `${x.nurse.first} ${x.nurse.last.charAt(0)}.`)} (${x.nurse.cred})`;
};

/* ------------------------------------------------------------------------ */
/* Templates: radiology                                                      */
/* ------------------------------------------------------------------------ */

interface Study { title: string; ind: string; tech: string; find: string; imp: string; prefix: string }

const STUDIES: readonly Study[] = [
  { title: 'CT PULMONARY ANGIOGRAM', prefix: 'CT', ind: 'Pleuritic chest pain, raised D-dimer, ?PE', tech: 'Contrast-enhanced CT of the pulmonary arteries, 60 mL Omnipaque 350.', find: 'Filling defects in the right lower lobe segmental arteries. RV:LV ratio 0.9. A 5 mm solid nodule in the left upper lobe. No effusion.', imp: 'Acute right lower lobe segmental pulmonary emboli without right heart strain. 5 mm LUL nodule: follow-up per {e:Fleischner Society} guidelines.' },
  { title: 'CT HEAD WITHOUT CONTRAST', prefix: 'CT', ind: 'Fall with head strike on anticoagulation', tech: 'Non-contrast axial CT of the head.', find: 'No intracranial haemorrhage. Mild generalised volume loss and periventricular white matter low attenuation. No skull fracture.', imp: 'No acute intracranial abnormality. Chronic small vessel disease.' },
  { title: 'XR CHEST PA AND LATERAL', prefix: 'XR', ind: 'Cough and fever', tech: 'PA and lateral radiographs.', find: 'Right lower zone airspace opacification with air bronchograms. Heart size normal. No pneumothorax.', imp: 'Right lower lobe consolidation in keeping with pneumonia. Suggest follow-up film in 6 weeks.' },
  { title: 'US ABDOMEN', prefix: 'US', ind: 'RUQ pain, deranged LFTs', tech: 'Real-time ultrasound of the upper abdomen.', find: "Multiple gallstones with gallbladder wall thickening 5 mm and a positive sonographic {e:Murphy's sign}. CBD 5 mm. Small amount of fluid in {e:Morison's pouch}.", imp: 'Acute calculous cholecystitis.' },
  { title: 'MRI LUMBAR SPINE', prefix: 'MR', ind: 'Low back pain with left L5 radiculopathy', tech: 'Sagittal T1, T2, STIR; axial T2.', find: "L4/5 left paracentral disc extrusion compressing the traversing left L5 root. {e:Schmorl's nodes} at T12 and L1. Conus normal.", imp: 'L4/5 disc extrusion with left L5 root compression.' },
  { title: 'US DOPPLER LEFT LOWER LIMB', prefix: 'US', ind: 'Swollen painful left calf, {e:Wells score} 3', tech: 'Compression and colour Doppler ultrasound.', find: "Non-compressible left popliteal and posterior tibial veins with intraluminal thrombus. A 3 cm {e:Baker's cyst} is also present.", imp: "Left popliteal DVT. Incidental {e:Baker's cyst}." },
  { title: 'CT KUB', prefix: 'CT', ind: 'Left loin to groin pain, haematuria', tech: 'Low-dose non-contrast CT.', find: 'A 6 mm calculus at the left vesicoureteric junction with mild hydronephrosis. No other calculi.', imp: '6 mm obstructing left VUJ calculus.' },
  { title: 'MAMMOGRAM BILATERAL SCREENING', prefix: 'MG', ind: 'Routine screening', tech: 'Bilateral CC and MLO views with tomosynthesis.', find: 'Scattered fibroglandular density. A 9 mm spiculated mass in the right upper outer quadrant.', imp: 'BI-RADS 4C right breast mass; recommend ultrasound-guided biopsy.' },
];

const radiologyStructured: Template = (x) => {
  const { d, r, pt } = x;
  const s = r.pick(STUDIES);
  const y = x.now.getUTCFullYear();
  const prior = addDays(x.now, -r.int(30, 900));
  d.l`${x.hosp.n} — ${r.pick(['Department of Radiology', 'Medical Imaging', 'Diagnostic Imaging'])}`;
  d.nl();
  d.l`EXAM: ${s.title}`;
  d.l`Accession #: ${x.id('MRN', accessionId(r, y, s.prefix))}     Exam date: ${x.dateNum(x.now)} ${timeStr(r)}`;
  d.l`Patient: ${x.nm(pt, r.pick(['caps_last_comma_first', 'last_first_caps_compact', 'last_comma_first_mi'] as const))}   ${x.mrnLabel()}: ${x.mrn()}   DOB: ${x.dateNum(pt.dob)}   ${x.age(pt.age, r.pick(['age_label', 'sex_compact'] as const), pt.sex)}`;
  d.l`Referring: ${x.doc(x.jr, r.pick(['full', 'init'] as const))}${x.c === 'US' ? [' (NPI ', x.id('LICENSE', npi(r)), ')'] : ''}   Location: ${r.pick(['ED', 'Inpatient', 'Outpatient', 'GP direct access'])}`;
  d.nl();
  d.l`CLINICAL INDICATION: ${x.mk(s.ind)}.`;
  d.l`COMPARISON: ${r.chance(0.7) ? [r.pick(['CT', 'Radiograph', 'Study']), ' dated ', x.date(prior), '.'] : 'None available.'}`;
  d.l`TECHNIQUE: ${s.tech}${r.chance(0.4) ? ' DLP ' + r.int(120, 900) + ' mGy·cm.' : ''}`;
  d.nl();
  d.l`FINDINGS:`;
  d.l`${x.mk(s.find)}`;
  d.nl();
  d.l`IMPRESSION:`;
  d.l`${x.mk(s.imp)}`;
  d.nl();
  if (r.chance(0.6)) d.l`Findings discussed with ${x.doc(x.jr, 'last')} by telephone at ${timeStr(r)} on ${x.dateNY(x.now)}.`;
  d.l`Dictated by: ${x.doc(x.cons, 'full')}, ${x.cons.cred}`;
  d.l`Electronically signed: ${x.date(x.now)} ${timeStr(r)}`;
  d.l`Workstation: ${r.pick(['PACS', 'RIS', 'PowerScribe'])} ${x.ver()} | Station ${r.pick(['RAD-WS', 'RDG', 'CTWS'])}${r.int(1, 40)}`;
};

const radiologyMRIDevice: Template = (x) => {
  const { d, r, pt } = x;
  const y = x.now.getUTCFullYear();
  const dev = pacemaker(r, y);
  const physio = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot });
  const impl = addDays(x.now, -r.int(200, 2500));
  d.l`${r.pick(['MRI SAFETY CHECKLIST AND REPORT', 'MR Imaging Report – Patient with Cardiac Implantable Device'])}`;
  d.l`${x.hosp.n}, ${addrInline(x.hosp.addr)}`;
  d.nl();
  d.l`Name: ${x.nm(pt, r.pick(['first_last', 'caps_full', 'last_comma_first'] as const))}     DOB: ${x.date(pt.dob)}     ${x.mrnLabel()}: ${x.mrn()}`;
  const exam = r.pick([['brain with contrast', 'Headaches and visual disturbance'], ['cervical spine', 'Neck pain with arm paraesthesia'], ['left knee', 'Locking and giving way of the left knee'], ['lumbar spine', 'Low back pain with sciatica']] as const);
  d.l`Examination: MRI ${exam[0]}     Date: ${x.date(x.now)}`;
  d.nl();
  d.l`DEVICE DETAILS`;
  d.l`Generator: ${dev.name}`;
  d.l`Serial number: ${x.id('DEVICE', dev.serial)}`;
  if (dev.extra) d.l`UDI: ${x.id('DEVICE', dev.extra)}`;
  d.l`Leads: RA ${x.id('DEVICE', implantSerial(r))}, RV ${x.id('DEVICE', implantSerial(r))}`;
  d.l`Implanted: ${x.date(impl)} at ${r.pick(HOSPITALS[x.c]).n}   Firmware ${x.ver()}`;
  d.l`Programmed to MR-safe mode (DOO 85) by cardiac physiologist ${x.nm(physio, r.pick(['first_last', 'initial_last'] as const))} before scanning and restored afterwards. Thresholds unchanged.`;
  d.nl();
  d.l`CLINICAL DETAILS: ${exam[1]}. Background: ${x.mk(x.sc.dx)}.`;
  d.l`FINDINGS: ${r.pick(['Susceptibility artefact from the generator over the left chest; diagnostic quality otherwise preserved.', 'No acute abnormality. Minor degenerative change.', 'Small vessel ischaemic change. No mass lesion.'])}`;
  d.l`CONCLUSION: Scan completed without incident under the conditional protocol (${x.cite()}).`;
  d.nl();
  d.l`Reported by ${x.doc(x.cons, r.pick(['full', 'init'] as const))}, Consultant Radiologist. ${x.cons.reg.label} ${x.id('LICENSE', x.cons.reg.id)}`;
};

const radiologyBrief: Template = (x) => {
  const { d, r, pt } = x;
  const s = r.pick(STUDIES);
  const y = x.now.getUTCFullYear();
  d.l`${s.title}${r.chance(0.5) ? ' – ' + x.hosp.n : ''}`;
  d.l`${x.nm(pt, r.pick(['caps_full', 'caps_last_comma_first'] as const))}  ${pt.nhs ? ['NHS ', x.id('MRN', pt.nhs), '  '] : ''}${x.mrnLabel()} ${x.mrn()}  DOB ${x.dateNum(pt.dob)}`;
  d.l`${addrInline(pt.addr)}`;
  d.l`Requested by ${x.doc(x.gp, r.pick(['init', 'last'] as const))} (${x.prac.n}) on ${x.date(addDays(x.now, -r.int(1, 30)))}; examined ${x.date(x.now)}; ref ${x.id('MRN', accessionId(r, y, s.prefix))}`;
  d.nl();
  d.l`Clinical details: ${x.mk(s.ind)}. ${x.age(pt.age, r.pick(['year_old', 'sex_compact', 'yo'] as const), pt.sex)}${r.chance(0.5) ? ['; ', x.epo(), ' on problem list'] : ''}.`;
  d.nl();
  d.l`Report: ${x.mk(s.find)}`;
  d.l`Opinion: ${x.mk(s.imp)}`;
  d.nl();
  d.l`${x.nm(x.cons, r.pick(['initial_last', 'first_last'] as const))} ${x.cons.cred}, Consultant Radiologist   ${x.dateNum(x.now)}`;
  d.l`Copies: ${x.nm(pt, 'title_initial_last')} (via patient portal ${x.portal(x.hosp)}); ${x.em(x.gp.email)}`;
};

/* ------------------------------------------------------------------------ */
/* Templates: prescriptions                                                  */
/* ------------------------------------------------------------------------ */


const rxUS: Template = (x) => {
  const { d, r, pt } = x;
  const pres = x.gp;
  d.l`${x.doc(pres, 'full')}, ${pres.cred}`;
  d.l`${x.prac.n}`;
  d.line(addrInline(x.prac.addr));
  d.l`Tel ${x.ph(x.prac.phone)}   Fax ${x.fax(x.prac.fax)}`;
  d.l`NPI ${x.id('LICENSE', npi(r))}     DEA ${x.id('LICENSE', dea(r, pres.last))}${r.chance(0.4) ? ['     Lic ', x.id('LICENSE', { v: `${r.pick(['A', 'G', 'MD'])}${r.digits(6)}`, f: 'state_license' })] : ''}`;
  d.nl();
  d.l`Patient: ${x.nm(pt, r.pick(['first_last', 'first_mi_last', 'last_comma_first'] as const))}     DOB: ${x.dateNum(pt.dob)}${pt.age >= 90 ? ['  (', x.age(pt.age, 'yo'), ')'] : ''}`;
  d.l`Address: ${addrInline(pt.addr)}`;
  d.l`Date: ${x.dateNum(x.now)}`;
  d.nl();
  const meds = r.sample(x.sc.meds, r.int(1, 3));
  for (const m of meds) {
    d.l`Rx  ${drugShort(m)}`;
    d.l`    Sig: ${cap(m[1])}`;
    d.l`    Disp: #${r.pick([30, 60, 90, 14, 28])}   Refills: ${r.int(0, 5)}   ${r.pick(['Substitution permitted', 'Dispense as written', 'Generic OK'])}`;
  }
  d.nl();
  d.l`Signature: ________________  (${x.nm(pres, 'initials_last')})`;
  d.l`Pharmacy: ${r.pick(['Walgreens', 'CVS Pharmacy', 'Rite Aid', 'Costco Pharmacy'])} #${r.int(1000, 19999)} — patient phone ${x.ph(pt.mobile)}`;
  if (r.chance(0.6)) d.l`ID verified at pick-up: ${r.pick(["DL#", "Driver's License", 'State ID', 'DL'])} ${x.id('LICENSE', pt.dl)}${r.chance(0.3) && pt.natId ? ['; ', x.natLabel(), ' ', x.id('SSN', pt.natId)] : ''}`;
  if (r.chance(0.5)) d.l`Prior authorization questions: ${x.insr.n} ${x.hot()}; ${x.insLabel()} ${x.id('ACCOUNT', pt.ins)}`;
};

const rxUK: Template = (x) => {
  const { d, r, pt } = x;
  const pres = x.gp;
  const pharm = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot });
  const pr = profReg(r, x.c, 'pharmacist');
  d.l`${r.pick(['PRIVATE PRESCRIPTION', 'Prescription', 'OUTPATIENT PRESCRIPTION'])}${x.c === 'UK' ? ' — not valid on the NHS' : ''}`;
  d.nl();
  d.l`Patient: ${x.nm(pt, r.pick(['title_first_last', 'title_initial_last'] as const))}`;
  d.line('Address: ', addrInline(pt.addr));
  d.l`Date of birth: ${x.date(pt.dob)}   ${pt.age >= 90 || r.chance(0.3) ? x.age(pt.age, 'age_label', pt.sex) : ''}`;
  d.l`${pt.nhs ? ['NHS number: ', x.id('MRN', pt.nhs)] : [x.mrnLabel(), ': ', x.mrn()]}`;
  d.nl();
  for (const m of r.sample(x.sc.meds, r.int(1, 3))) {
    d.l`℞ ${medLine(m)}`;
    d.l`   Supply: ${r.pick(['28 days', '56 tablets', 'one original pack', '1 x 200-dose inhaler', '30 g'])}`;
  }
  d.nl();
  d.l`Prescriber: ${x.doc(pres, 'full')}, ${pres.cred}   ${pres.reg.label} ${x.id('LICENSE', pres.reg.id)}`;
  d.line(x.prac.n, ', ', addrInline(x.prac.addr));
  d.l`Tel: ${x.ph(x.prac.phone)}   Signed: ${x.date(x.now)}`;
  d.nl();
  d.l`Dispensed by: ${x.nm(pharm, r.pick(['first_last', 'initial_last'] as const))}, ${pr.label} ${x.id('LICENSE', pr.id)} on ${x.date(addDays(x.now, r.int(0, 3)))}`;
  d.l`Report suspected side effects via ${K('org_url', x.c === 'UK' ? 'yellowcard.mhra.gov.uk' : x.r.pick(ORG_URLS[x.c]))}`;
};

const rxOther: Template = (x) => {
  const { d, r, pt } = x;
  const pres = x.gp;
  const india = x.c === 'IN';
  d.l`${x.doc(pres, 'full')}${india ? ', ' + pres.cred : ''}`;
  d.l`${india ? 'Consultant Physician' : 'General Practitioner'} — ${x.prac.n}`;
  d.line(addrInline(x.prac.addr));
  d.l`${india ? 'Ph' : 'Phone'}: ${x.ph(x.prac.phone)}   ${pres.reg.label} ${x.id('LICENSE', pres.reg.id)}`;
  d.nl();
  d.l`${india ? 'Name' : 'Patient'}: ${x.nm(pt, r.pick(['title_first_last', 'first_last'] as const))}   ${india ? ['Age: ', x.ageN(pt.age, 'age_label'), ' yrs  Sex: ', pt.sex] : ['DOB: ', x.dateNum(pt.dob)]}`;
  if (x.c === 'AU') d.l`Medicare No: ${x.id('ACCOUNT', pt.ins)}     ${r.pick(['Concession card', 'DVA file no.'])}: ${x.id('ACCOUNT', { v: `${r.letters(1, 'NVQWST')}${r.letters(1, 'X')}${r.digits(6)}`, f: 'au_dva' })}`;
  else if (x.c === 'NZ') d.l`NHI: ${x.mrn()}`;
  else if (x.c === 'IE') d.l`${x.insLabel()}: ${x.id('ACCOUNT', pt.ins)}`;
  else if (x.c === 'CA') d.l`${x.insLabel()}: ${x.id('ACCOUNT', pt.ins)}`;
  else d.l`${x.mrnLabel()}: ${x.mrn()}   Mob: ${x.ph(pt.mobile)}`;
  d.line('Address: ', addrInline(pt.addr));
  if ((x.c === 'AU' || x.c === 'NZ') && r.chance(0.3)) d.l`ID sighted (S8): driver licence ${x.id('LICENSE', pt.dl)}`;
  if (x.c === 'IN' && pt.natId && r.chance(0.3)) d.l`Aadhaar: ${x.id('SSN', pt.natId)}`;
  d.l`Date: ${x.date(x.now)}`;
  d.nl();
  d.l`Dx: ${x.mk(x.sc.dx)}`;
  d.l`Rx`;
  let i = 1;
  for (const m of r.sample(x.sc.meds, r.int(2, 4))) {
    d.l`${i++}. ${india ? r.pick(['Tab. ', 'Cap. ', 'Inj. ']) : ''}${medLine(m)}${india && !/days|week|month|lifelong/.test(m[1]) ? ' x ' + r.pick(['5 days', '1 month', '15 days']) : ''}`;
  }
  d.nl();
  d.l`${india ? 'Advice: ' : 'Notes: '}${x.mk(x.sc.plan)}`;
  d.l`${india ? 'Review after 2 weeks. For appointments call ' : 'Repeats: '}${india ? x.ph(x.prac.phone) : String(r.int(0, 5))}`;
  d.nl();
  d.l`Signature: ${x.nm(pres, 'initial_last')}`;
};

/* ------------------------------------------------------------------------ */
/* Templates: insurance claim letters                                        */
/* ------------------------------------------------------------------------ */

const insurerToMember: Template = (x) => {
  const { d, r, pt } = x;
  const y = x.now.getUTCFullYear();
  const dos = addDays(x.now, -r.int(20, 150));
  const agent = makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot });
  d.l`${x.insr.n}`;
  d.line(addrInline(x.insr.addr));
  d.nl();
  d.l`${x.date(x.now, x.dmy ? 'd_month_y' : 'month_d_y')}`;
  d.nl();
  d.l`${x.nm(pt, r.pick(['caps_full', 'first_mi_last', 'title_first_last'] as const))}`;
  addrBlock(d, pt.addr);
  d.nl();
  d.l`${x.insLabel()}: ${x.id('ACCOUNT', pt.ins)}${x.c === 'US' ? ['     Group: ', x.id('ACCOUNT', groupId(r))] : ''}`;
  d.l`Claim number: ${x.id('ACCOUNT', claimId(r, y))}${pt.natId && r.chance(0.6) ? ['     ', x.natLabel(), ': ', x.id('SSN', pt.natId)] : ''}`;
  d.l`Patient: ${x.nm(pt, 'first_last')}     Date of service: ${x.dateNum(dos)}`;
  d.l`Provider: ${x.doc(x.cons, 'full')}, ${x.hosp.n}`;
  d.nl();
  d.l`Dear ${x.nm(pt, 'title_last')}:`;
  d.nl();
  d.l`We have reviewed the claim submitted for ${r.pick(['inpatient admission', 'an MRI scan', 'specialist consultation', 'day-case procedure'])} related to ${x.mk(x.sc.dx.split(' (')[0] ?? x.sc.dx)}. ${r.pick(['Payment has been approved as shown below.', 'Unfortunately this claim has been denied because prior authorisation was not obtained.', 'We need more information before we can process this claim.'])}`;
  d.nl();
  const billed = r.int(300, 48000);
  const paid = Math.floor(billed * r.int(0, 90) / 100);
  d.l`  Billed amount:        ${billed}.00`;
  d.l`  Plan paid:            ${paid}.00`;
  d.l`  Your responsibility:  ${Math.floor((billed - paid) * r.int(5, 40) / 100)}.${pad2(r.int(0, 99))}`;
  d.nl();
  d.l`If you disagree with this decision you may appeal within 180 days of ${x.date(x.now, x.dmy ? 'd_month_y' : 'month_d_y')}. Send your appeal to ${x.orgMail(x.insr, r.pick(['appeals', 'claims']))} or call Member Services on ${x.hot()} (TTY 711). Information about your rights: ${x.orgUrl()}.`;
  d.nl();
  d.l`Sincerely,`;
  d.l`${x.nmSig(agent)}`;
  d.l`${r.pick(['Claims Specialist', 'Member Services Representative', 'Appeals Coordinator'])}, ref ${agent.first.charAt(0)}${agent.last.charAt(0)}-${r.digits(4)}`;
};

const memberAppeal: Template = (x) => {
  const { d, r, pt, kin } = x;
  const y = x.now.getUTCFullYear();
  const dos = addDays(x.now, -r.int(20, 150));
  d.l`${x.nm(pt, r.pick(['first_last', 'first_middle_last'] as const))}`;
  addrBlock(d, pt.addr);
  d.l`${x.ph(pt.mobile)} | ${x.em(pt.email)}`;
  d.nl();
  d.l`${x.date(x.now)}`;
  d.nl();
  d.l`${r.pick(['Appeals Department', 'Claims Team', 'Member Relations'])}`;
  d.l`${x.insr.n}`;
  addrBlock(d, x.insr.addr);
  d.nl();
  d.l`Re: Appeal of claim ${x.id('ACCOUNT', claimId(r, y))} — ${x.insLabel()} ${x.id('ACCOUNT', pt.ins)}${r.chance(0.5) ? [', policy ', x.id('ACCOUNT', policyId(r, x.c))] : ''}`;
  d.nl();
  d.l`To whom it may concern,`;
  d.nl();
  d.l`I am writing to appeal the decision dated ${x.date(addDays(x.now, -r.int(5, 40)))} to decline my claim for treatment on ${x.date(dos)} at ${x.hosp.n}. I was admitted as an emergency with ${x.sc.pc}, so there was no opportunity to obtain pre-authorisation.`;
  d.nl();
  d.l`My consultant, ${x.doc(x.cons, 'full')}, has confirmed the diagnosis of ${x.mk(x.sc.dx)} and the treatment was medically necessary (letter enclosed). ${x.nm(x.cons, 'possessive_title_last')} secretary can be reached on ${x.ph(withExt(r, x.hosp.phone, x.c))}.`;
  if (r.chance(0.6)) d.l`I have also enclosed my ${kin.rel === 'husband' || kin.rel === 'wife' ? kin.rel + "'s" : 'family'} statement; ${x.nmRel(kin)} drove me to the emergency department that night.`;
  d.nl();
  d.l`Please reimburse the ${x.c === 'UK' || x.c === 'IE' ? 'invoice' : 'bill'} (account ${x.id('ACCOUNT', pt.acct)}) directly to my bank account ${x.id('ACCOUNT', bankAccount(r, x.c))}${x.c === 'UK' ? [', sort code ', r.digits(2), '-', r.digits(2), '-', r.digits(2)] : ''}.`;
  d.nl();
  d.l`Yours faithfully,`;
  d.nl();
  d.l`${x.nm(pt, r.pick(['first_last', 'initial_last'] as const))}`;
  if (pt.natId && r.chance(0.8)) d.l`${x.natLabel()}: ${x.id('SSN', pt.natId)}`;
  if (r.chance(0.4)) d.l`Proof of identity enclosed: ${x.c === 'US' ? "driver's license" : "driver's licence"} no. ${x.id('LICENSE', pt.dl)}`;
};

const preAuth: Template = (x) => {
  const { d, r, pt } = x;
  const y = x.now.getUTCFullYear();
  const admit = addDays(x.now, r.int(7, 40));
  const reg = x.cons.reg;
  d.l`${x.insr.n} — ${x.c === 'US' ? r.pick(['PRIOR AUTHORIZATION APPROVAL', 'Prior Authorization Determination']) : r.pick(['Pre-authorisation confirmation', 'Treatment authorisation'])}`;
  d.l`${x.date(x.now)}    Our ref: ${x.id('ACCOUNT', claimId(r, y))}`;
  d.nl();
  d.l`Member: ${x.nm(pt, r.pick(['title_first_last', 'caps_last_comma_first'] as const))}    ${x.insLabel()}: ${x.id('ACCOUNT', pt.ins)}`;
  d.l`Date of birth: ${x.date(pt.dob)}${pt.age >= 90 ? ['   (', x.age(pt.age, 'aged'), ')'] : ''}`;
  d.l`Address: ${addrInline(pt.addr)}`;
  if (pt.natId && r.chance(0.5)) d.l`${x.natLabel()}: ${x.id('SSN', pt.natId)}`;
  d.nl();
  d.l`Treating specialist: ${x.doc(x.cons, 'full')}   ${reg.label} ${x.id('LICENSE', reg.id)}`;
  d.l`Facility: ${x.hosp.n}, ${addrInline(x.hosp.addr)}`;
  d.l`Procedure: ${r.pick(['Coronary angiography ± PCI', 'Colonoscopy with polypectomy', 'Total hip replacement', 'MRI brain', 'Cataract surgery (left eye)', 'Cycle 1 chemotherapy'])}   Admission date: ${x.date(admit)}`;
  d.l`Diagnosis: ${x.mk(x.sc.dx)}`;
  d.nl();
  d.l`Dear ${x.nm(pt, r.chance(0.7) ? 'title_last' : 'first_only')},`;
  d.nl();
  d.l`We are pleased to confirm cover for the treatment above, subject to the terms of your policy${r.chance(0.5) ? [' (excess ', x.c === 'UK' || x.c === 'IE' ? '£' : '$', String(r.pick([100, 250, 500])), ')'] : ''}. This authorisation is valid until ${x.date(addDays(admit, 90))}. Please quote your membership number when you contact us.`;
  d.nl();
  d.l`Questions? Call ${x.hot()} (8am–8pm) or e-mail ${x.orgMail(x.insr, r.pick(['preauth', 'claims', 'help']))}. We will also send a copy to ${x.nm(x.cons, 'possessive_title_last')} practice manager, ${x.nm(makePerson(r, x.c, 'F', { dot: x.dot }), 'first_last')}, at ${x.em(workEmail(r, x.cons, x.hosp.dom))}.`;
  d.nl();
  d.l`Case manager: ${x.nmSig(makePerson(r, x.c, r.chance(0.5) ? 'F' : 'M', { dot: x.dot }))} — direct line ${x.ph(withExt(r, x.insr.phone, x.c))}`;
};

/* ------------------------------------------------------------------------ */
/* Registry and generator                                                    */
/* ------------------------------------------------------------------------ */

const ALL: readonly Country[] = ['US', 'UK', 'CA', 'AU', 'IE', 'NZ', 'IN'];

interface KindDef {
  kind: string;
  templates: readonly { f: Template; c: readonly Country[] }[];
}

const KINDS: readonly KindDef[] = [
  {
    kind: 'discharge_summary',
    templates: [
      { f: dischargeStructured, c: ['US', 'CA', 'AU'] },
      { f: dischargeNHS, c: ['UK', 'IE', 'NZ'] },
      { f: dischargeNarrative, c: ALL },
    ],
  },
  {
    kind: 'referral_letter',
    templates: [
      { f: referralGP, c: ['UK', 'IE', 'AU', 'NZ', 'CA', 'US'] },
      { f: referralForm, c: ['US', 'CA', 'AU'] },
      { f: referralColleague, c: ALL },
    ],
  },
  {
    kind: 'clinic_letter',
    templates: [
      { f: clinicToGP, c: ['UK', 'IE', 'AU', 'NZ', 'IN'] },
      { f: clinicToPatient, c: ALL },
      { f: afterVisitSummary, c: ['US', 'CA'] },
    ],
  },
  {
    kind: 'patient_email',
    templates: [
      { f: emailFromRelative, c: ALL },
      { f: emailPatientChain, c: ALL },
      { f: emailBilling, c: ALL },
    ],
  },
  {
    kind: 'lab_report',
    templates: [
      { f: labTable, c: ALL },
      { f: histopath, c: ALL },
      { f: labCommunity, c: ['IN', 'AU', 'NZ', 'UK', 'IE'] },
    ],
  },
  {
    kind: 'forum_post',
    templates: [
      { f: forumCarer, c: ALL },
      { f: forumPatient, c: ALL },
      { f: forumThread, c: ALL },
    ],
  },
  {
    kind: 'nursing_note',
    templates: [
      { f: nursingTimeline, c: ALL },
      { f: progressSOAP, c: ['US', 'CA', 'AU'] },
      { f: communityVisit, c: ['UK', 'AU', 'NZ', 'IE'] },
    ],
  },
  {
    kind: 'radiology_report',
    templates: [
      { f: radiologyStructured, c: ALL },
      { f: radiologyMRIDevice, c: ALL },
      { f: radiologyBrief, c: ['UK', 'IE', 'AU', 'NZ', 'IN'] },
    ],
  },
  {
    kind: 'prescription',
    templates: [
      { f: rxUS, c: ['US'] },
      { f: rxUK, c: ['UK', 'IE'] },
      { f: rxOther, c: ['AU', 'NZ', 'IE', 'IN', 'CA'] },
    ],
  },
  {
    kind: 'insurance_letter',
    templates: [
      { f: insurerToMember, c: ALL },
      { f: memberAppeal, c: ALL },
      { f: preAuth, c: ['UK', 'AU', 'IE', 'IN', 'NZ', 'US'] },
    ],
  },
];

const COUNTRY_MIX: readonly (readonly [Country, number])[] = [['US', 34], ['UK', 30], ['CA', 8], ['AU', 8], ['IE', 7], ['NZ', 6], ['IN', 7]];

export const HOLDOUT_TYPES = ['NAME', 'ADDRESS', 'DATE', 'AGE', 'PHONE', 'EMAIL', 'SSN', 'MRN', 'ACCOUNT', 'LICENSE', 'DEVICE', 'URL_PERSONAL', 'IP'] as const;
export const HOLDOUT_KINDS = KINDS.map((k) => k.kind);

const MIN_PLANTED = 8;
const MAX_PLANTED = 25;

function generateOne(seed: number, index: number): HoldoutDoc {
  const r = new Rng(seed, index);
  const def = KINDS[index % KINDS.length];
  if (!def) throw new Error('no kind');
  const country = r.weighted(COUNTRY_MIX);
  const eligible = def.templates.filter((t) => t.c.includes(country));
  const tpl = r.pick(eligible.length ? eligible : def.templates);
  let best: Ctx | null = null;
  for (let attempt = 0; attempt < 40; attempt++) {
    const x = new Ctx(r, country);
    tpl.f(x);
    const n = x.d.planted.length;
    if (n >= MIN_PLANTED && n <= MAX_PLANTED) {
      best = x;
      break;
    }
    if (!best || Math.abs(n - 16) < Math.abs(best.d.planted.length - 16)) best = x;
  }
  if (!best) throw new Error('generation failed');
  const b = best.d;
  return { kind: def.kind, country, text: b.text, planted: b.planted, keep: b.keep };
}

/**
 * Deterministic held-out documents. Document i depends only on (seed, i), so a
 * shorter run is a prefix of a longer one. Kinds cycle through the ten document
 * types; countries are drawn US/UK-heavy with CA, AU, IE, NZ and IN.
 */
export function phiHoldout(count: number, seed = 1): HoldoutDoc[] {
  const out: HoldoutDoc[] = [];
  for (let i = 0; i < count; i++) out.push(generateOne(seed >>> 0, i));
  return out;
}

/**
 * Consistency checks. Returns a list of problems (empty when the set is sound):
 * spans inside the text and non-empty, no surrounding whitespace, planted spans
 * sorted and non-overlapping, keep spans not overlapping planted spans, known
 * types, and 8-25 planted identifiers per document.
 */
export function checkHoldout(docs: readonly HoldoutDoc[]): string[] {
  const problems: string[] = [];
  const types = new Set<string>(HOLDOUT_TYPES);
  docs.forEach((doc, i) => {
    const n = doc.text.length;
    const where = (s: { start: number; end: number }): string => `doc ${i} [${s.start},${s.end}) ${JSON.stringify(doc.text.slice(Math.max(0, s.start), Math.min(n, s.end)))}`;
    const sane = (s: { start: number; end: number }, what: string): boolean => {
      if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end > n || s.start >= s.end) {
        problems.push(`${what} span out of range or empty: ${where(s)}`);
        return false;
      }
      const v = doc.text.slice(s.start, s.end);
      if (v.trim() !== v) problems.push(`${what} span has surrounding whitespace: ${where(s)}`);
      return true;
    };
    const planted = [...doc.planted].sort((a, b) => a.start - b.start || a.end - b.end);
    for (const s of planted) {
      sane(s, 'planted');
      if (!types.has(s.type)) problems.push(`unknown type ${s.type}: ${where(s)}`);
      if (!s.format) problems.push(`missing format: ${where(s)}`);
    }
    for (let k = 1; k < planted.length; k++) {
      const a = planted[k - 1];
      const b = planted[k];
      if (a && b && b.start < a.end) problems.push(`planted spans overlap: ${where(a)} / ${where(b)}`);
    }
    for (const s of doc.keep) {
      if (!sane(s, 'keep')) continue;
      for (const p of planted) {
        if (p.start < s.end && s.start < p.end) problems.push(`keep overlaps planted: ${where(s)} / ${where(p)}`);
      }
    }
    if (doc.planted.length < MIN_PLANTED || doc.planted.length > MAX_PLANTED) problems.push(`doc ${i} has ${doc.planted.length} planted identifiers (want ${MIN_PLANTED}-${MAX_PLANTED})`);
  });
  return problems;
}

/* ------------------------------------------------------------------------ */
/* CLI: counts and samples                                                   */
/* ------------------------------------------------------------------------ */

function tally(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function main(): void {
  const count = Number(process.argv[2] ?? 700);
  const seed = Number(process.argv[3] ?? 7);
  const show = Number(process.argv[4] ?? 3);
  const t0 = Date.now();
  const docs = phiHoldout(count, seed);
  const ms = Date.now() - t0;
  const problems = checkHoldout(docs);
  const byType = new Map<string, number>();
  const byFmt = new Map<string, number>();
  const byKeep = new Map<string, number>();
  const byKind = new Map<string, number>();
  const byCountry = new Map<string, number>();
  const rareSurnames = new Set<string>();
  for (const c of Object.values(CULTURES)) if (c.rare) for (const s of [...c.s, ...c.f, ...c.m]) rareSurnames.add(s.toLowerCase());
  let names = 0;
  let rareNames = 0;
  let minP = Infinity;
  let maxP = 0;
  let total = 0;
  for (const d of docs) {
    tally(byKind, d.kind);
    tally(byCountry, d.country);
    minP = Math.min(minP, d.planted.length);
    maxP = Math.max(maxP, d.planted.length);
    total += d.planted.length;
    for (const s of d.planted) {
      tally(byType, s.type);
      tally(byFmt, `${s.type}\t${s.format}`);
      if (s.type === 'NAME') {
        names++;
        const v = ' ' + d.text.slice(s.start, s.end).toLowerCase().replace(/[,.']/g, ' ').replace(/\s+/g, ' ') + ' ';
        for (const rs of rareSurnames) {
          if (v.includes(' ' + rs + ' ')) {
            rareNames++;
            break;
          }
        }
      }
    }
    for (const k of d.keep) tally(byKeep, k.kind);
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  console.log(`phiHoldout(${count}, ${seed}): ${docs.length} docs in ${ms} ms; planted ${total} (min ${minP}, max ${maxP}, mean ${(total / docs.length).toFixed(1)}); checkHoldout problems: ${problems.length}`);
  for (const p of problems.slice(0, 20)) console.log('  PROBLEM ' + p);
  console.log('\nby kind: ' + sorted(byKind).map(([k, v]) => `${k}=${v}`).join(' '));
  console.log('by country: ' + sorted(byCountry).map(([k, v]) => `${k}=${v}`).join(' '));
  console.log(`NAME spans containing an uncommon-register name: ${rareNames}/${names}`);
  console.log('\nplanted by type:');
  for (const [k, v] of sorted(byType)) console.log(`  ${k.padEnd(13)} ${v}`);
  console.log('\nplanted by type/format:');
  for (const [k, v] of sorted(byFmt)) console.log(`  ${k.replace('\t', ' / ').padEnd(44)} ${v}`);
  console.log('\nkeep by kind:');
  for (const [k, v] of sorted(byKeep)) console.log(`  ${k.padEnd(13)} ${v}`);
  for (let i = 0; i < Math.min(show, docs.length); i++) {
    const d = docs[i];
    if (!d) continue;
    console.log(`\n======== doc ${i}: ${d.kind} / ${d.country} ========`);
    console.log(d.text);
    console.log('-- planted:');
    for (const s of d.planted) console.log(`  ${s.type}/${s.format} ${JSON.stringify(d.text.slice(s.start, s.end))}`);
    console.log('-- keep:');
    for (const s of d.keep) console.log(`  ${s.kind} ${JSON.stringify(d.text.slice(s.start, s.end))}`);
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) main();
