import { before } from './context.js';
import { memo } from './memo.js';
import { lexicon } from './lexicon.js';
import type { Detector } from './span.js';
import { TRIGGERS, wordHits, type WordHits } from './triggers.js';

/**
 * EMAIL, URL_PERSONAL and IP.
 *
 * E-mail addresses, plain and obfuscated ("jane.doe [at] gmail [dot] com", "jane(at)host.org",
 * "jane dot doe at gmail dot com"). An organisation's address is public and kept unless the policy
 * redacts public contacts: a role mailbox (info@, help@, enquiries@, patient.services@ ...), one
 * that names its own domain (resnaTA@resna.org), or a government mailbox that is not a person's
 * (first.last@ is a person's anywhere).
 *
 * URLs of a person's page: social profiles (Facebook, X/Twitter, Instagram, LinkedIn /in/,
 * TikTok and YouTube @handles, Reddit users, Medium, Threads, GitHub), fundraising pages
 * (GoFundMe, JustGiving, CaringBridge ...), personal blogs on hosting services (blogspot,
 * wordpress.com, substack, tumblr ...), and paths that name a person (/~name, /users/, /profile/,
 * /people/, /patients/ ...). Other URLs, an organisation's site, stay.
 *
 * IP addresses, v4 and v6; four dotted numbers after "version", "build", "firmware" ... are a
 * software version, not an address.
 */
/** The characters of a mailbox name (ASCII letters, digits, . _ % + -), by code unit: 1 where allowed. */
const MAILBOX_CHAR = new Uint8Array(128).map((_, c) => (/[A-Za-z0-9._%+-]/.test(String.fromCharCode(c)) ? 1 : 0));
const HOST_AFTER = /(?:[A-Za-z0-9-]{1,63}(?:\.|\[\.\]|\(\.\)|\{\.\})){1,8}[A-Za-z]{2,24}(?![\w-])/y;
const TLD = '(?:com|org|net|edu|gov|mil|int|info|biz|io|me|co|us|uk|ca|au|ie|nz|in|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|jp|cn|br|mx|za|ng|ke)';
const AT = String.raw`(?:[ \t]*[\[({<][ \t]*at[ \t]*[\])}>][ \t]*|[ \t]+at[ \t]+)`;
const DOT = String.raw`(?:[ \t]*[\[({<][ \t]*dot[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+)`;
/** Obfuscated: an "at" in brackets with real dots, or spelt-out dots (with "at" in brackets or not). */
const OBFUSCATED = new RegExp(
  String.raw`(?<![\w.+-])(?<user>[A-Za-z0-9_%+-]{1,64}(?:(?:\.|${DOT})[A-Za-z0-9_%+-]{1,64}){0,3})` +
    String.raw`(?:[ \t]*[\[({<][ \t]*at[ \t]*[\])}>][ \t]*(?:[A-Za-z0-9-]{1,63}(?:\.|${DOT})){1,4}${TLD}|${AT}(?:[A-Za-z0-9-]{1,63}${DOT}){1,4}${TLD})\b`,
  'gi',
);
/** Role words that mark an office's mailbox wherever they stand in its name (NINDSinfo@, patient.services@). */
const ROLE = /info|help|support|contact|enquir|inquir|admin|office|noreply|no-reply|webmaster|feedback|question|reception|appointment|referral|booking|billing|membership|communicat|publication|donat|volunteer|careers/i;
/** Role words that mark an office's mailbox only as a whole part of its name (claims@, mdt.coordinator@): as parts of a longer word they may be a person's (dale.ward@, conornurse@). */
const ROLE_TOKENS = new Set(
  'press media news web service services team general clinic pharmacy records jobs editor library orders sales marketing events resources center centre program staff claims appeals preauth authorisation authorization pals coordinator mdt admissions secretary secretaries results pathology radiology laboratory lab labs dept department ward wards accounts finance privacy compliance complaints concerns triage intake scheduling nurses desk hr payroll research trials study reports prescriptions repeats dispensary surgery practice hospital health mail hello ask'.split(' '),
);
const GOVERNMENT = /\.(?:gov|mil|int)(?:\.[a-z]{2})?$|\.(?:gc\.ca|gov\.uk|nhs\.uk|europa\.eu|govt\.nz|gov\.au|hse\.ie)$/i;

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** Whether `word` stands in `text` as a whole word (as /\bword\b/ would find it). */
function wholeWordIn(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text.charCodeAt(at - 1)) && !isWordChar(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

/**
 * What a mailbox is, from its name and host alone (memo.ts: addresses recur in every header of a
 * list): an office's (1), a person's (0), or an office's only if the text just before it names the
 * office (2, "the ADEAR Center ... adear@nia.nih.gov").
 */
const mailboxKind = memo((address: string): 0 | 1 | 2 => {
  const at = address.lastIndexOf('@');
  const user = address.slice(0, at);
  return officeMailbox(user, address.slice(at + 1)) ? 1 : user.length >= 3 && /^[A-Za-z]+$/.test(user) ? 2 : 0;
});
function publicMailbox(user: string, host: string, lead: () => string = () => ''): boolean {
  const kind = mailboxKind(`${user}@${host}`);
  return kind === 1 || (kind === 2 && wholeWordIn(lead().toLowerCase(), user.toLowerCase()));
}

/** Whether a mailbox is an office's by its name and host. */
function officeMailbox(user: string, host: string): boolean {
  if (ROLE.test(user)) return true;
  const lowerUser = user.toLowerCase();
  const tokens = lowerUser.split(/[._+\d-]+/).filter(Boolean);
  if (tokens.some((t) => ROLE_TOKENS.has(t))) return true;
  const labels = host.toLowerCase().split('.');
  const org = labels.length >= 2 ? labels[labels.length - 2]! : '';
  const site = labels.find((l) => l.length >= 4 && !/^(?:www|mail|com|org|net|gov|edu)$/.test(l));
  if (site && lowerUser.includes(site)) return true;
  if (org.length >= 4 && lowerUser.includes(org)) return true;
  // A government or NHS mailbox is an office's unless some part of it reads as a person's name
  // (first.last, jsmith, smithj): the census lists decide.
  if (!GOVERNMENT.test(host)) return false;
  const lex = lexicon();
  const named = (t: string) => lex.surnames.has(t) || lex.firstNames.has(t);
  return !tokens.some((t) => t.length >= 3 && (named(t) || named(t.slice(1)) || named(t.slice(0, -1))));
}

/** The rest of a URL from where it starts: up to the first space, bracket or quote. */
const URL_BODY = /[^\s<>"'()[\]{}]{1,1000}/y;
const PERSONAL_HOSTS = new Set(
  'facebook fb twitter x instagram linkedin tiktok youtube threads reddit medium github pinterest flickr gofundme justgiving caringbridge fundly gogetfunding givealittle mycause youcaring giveforward fundrazr crowdfunder spotfund givesendgo ketto milaap impactguru chuffed everydayhero donorbox givebutter leetchi indiegogo'.split(' '),
);
/** A site named after a person: "harjitshetty.com", "www.lefevrefamily.net/chiara" (a bare one is read in running text too). */
const BARE_TLD = /\.(?:com|net|org|me|info|blog|co\.uk|com\.au|co\.nz|ie|in|ca)(?![\w-])/g;
/** By code unit: [a-z0-9-], the characters of a bare host's name; and [\w.@/-], what may not stand before one. */
const HOST_CHAR = new Uint8Array(128).map((_, c) => (/[a-z0-9-]/.test(String.fromCharCode(c)) ? 1 : 0));
const NOT_BEFORE_HOST = new Uint8Array(128).map((_, c) => (/[\w.@/-]/.test(String.fromCharCode(c)) ? 1 : 0));
const HOST_WORD_BEFORE = /(?<![\w.-])(?:www\.)?([a-z0-9-]{1,63})$/i;
const PERSONAL_URL = new RegExp(
  [
    String.raw`(?:facebook|fb)\.com\/(?!(?:groups|pages|events|hashtag|sharer|share|help|policies|legal|watch|gaming|business|ads|login|home\.php|photo\.php|profile\.php\?id=\d+&sk=about)\b)[\w.-]+`,
    String.raw`(?:twitter|x)\.com\/(?!(?:search|hashtag|intent|share|home|i|explore|settings|login)\b)\w{1,15}`,
    String.raw`instagram\.com\/(?!(?:explore|p|reel|accounts|about|legal)\b)[\w.]+`,
    String.raw`linkedin\.com\/in\/[\w%-]+`,
    String.raw`(?:tiktok|youtube|threads)\.(?:com|net)\/@[\w.-]+`,
    String.raw`youtube\.com\/(?:user|c)\/[\w.-]+`,
    String.raw`reddit\.com\/(?:u|user)\/[\w-]+`,
    String.raw`medium\.com\/@[\w.-]+`,
    String.raw`github\.com\/(?!(?:orgs|topics|features|about|pricing|login|site)\b)[\w-]+\/?$`,
    String.raw`pinterest\.[a-z.]+\/(?!(?:pin|search|ideas)\b)\w+`,
    String.raw`flickr\.com\/(?:people|photos)\/[\w@-]+`,
    String.raw`(?:gofundme\.com|justgiving\.com|caringbridge\.org|fundly\.com|gogetfunding\.com|givealittle\.co\.nz|mycause\.com\.au|youcaring\.com|giveforward\.com|fundrazr\.com|crowdfunder\.co\.uk|spotfund\.com|givesendgo\.com|ketto\.org|milaap\.org|impactguru\.com|chuffed\.org|everydayhero\.com|donorbox\.org|givebutter\.com|gogetfunding\.com|leetchi\.com|indiegogo\.com)\/\S`,
    String.raw`\/(?:fundraiser|fundraising|campaign|appeal|f)\/[\w-]*\w-\w`,
    String.raw`^(?:https?:\/\/)?(?:www\.)?[\w-]+\.(?:blogspot|wordpress|substack|tumblr|weebly|wixsite|livejournal|typepad|squarespace|carrd|bearblog|ghost)\.[a-z.]+`,
    String.raw`sites\.google\.com\/view\/`,
    String.raw`\/(?:~[\w.-]|(?:users?|u|profiles?|people|persons?|members?|authors?|patients?|home)\/[\w.%@-])`,
  ].join('|'),
  'i',
);
/** What a URL is (memo.ts: a list's footer links recur): a personal page's (1), a site perhaps named after a person (2, weak), or neither (0). */
const urlKind = memo(
  (url: string): 0 | 1 | 2 =>
    PERSONAL_URL.test(url) && !(INSTITUTION_HOST.test(url) && !SOCIAL_HOST.test(url)) ? 1 : !INSTITUTION_HOST.test(url) && namedAfterPerson(url) ? 2 : 0,
);

/** Sites of public institutions: their paths (/patients/, /people/) are sections, not people. */
const INSTITUTION_HOST = /^(?:https?:\/\/)?[^/]*\.(?:gov|mil|edu|int|nhs\.uk|ac\.uk|gov\.uk|gc\.ca|gov\.au|edu\.au|ac\.nz|govt\.nz|europa\.eu|who\.int)(?::\d+)?(?:\/|$)/i;
const SOCIAL_HOST = /^(?:https?:\/\/)?(?:www\.)?(?:facebook|fb|twitter|x|instagram|linkedin|tiktok|youtube|reddit|medium|github|pinterest|flickr|gofundme|justgiving|caringbridge)\./i;
/** Whether a host's name is a person's: two names from the lists joined ("janedoe", "smithjones"), or a family's. */
function namedAfterPerson(url: string): boolean {
  const host = /^(?:https?:\/\/)?(?:www\.)?([^/.:]+)/i.exec(url)?.[1]?.toLowerCase().replace(/-/g, '');
  if (!host || host.length < 6) return false;
  return hostNamed(host);
}
/** (memo.ts: the same hosts recur through a corpus) */
const hostNamed = memo((host: string): boolean => {
  if (/^[a-z]{3,}(?:family|clan)$/.test(host)) return true;
  const lex = lexicon();
  const name = (t: string) => t.length >= 3 && (lex.firstNames.has(t) || lex.surnames.has(t)) && !lex.common.has(t);
  for (let i = 3; i <= host.length - 3; i++) {
    const first = host.slice(0, i);
    // "macmillan", "vanguard", "stjames" are one name with its particle, not two names
    if (name(first) && !/^(?:mac|mc|van|von|de|del|st|saint|san)$/.test(first) && name(host.slice(i).replace(/\d+$/, ''))) return true;
  }
  return false;
});
/** A bare URL's host ending (".com/", ".blogspot."), as a rule of the shared word scan: a search for "." of its own costs prose a pass. */
const URL_HINT = TRIGGERS.add(/\b(?:com|org|net|uk|au|nz)\/|\b(?:blogspot|wordpress|substack|tumblr|weebly|wixsite|livejournal|typepad)\./gi);
/**
 * Where a bare URL of a personal page's host ends its host part, from a hint of the scan: ".com/",
 * ".co.uk/", ".com.au/", ".blogspot." ..., in lower case, from its first dot (its host word is read
 * behind it). Undefined where the hint is not such an ending ("NHS.UK/", ".org.uk/").
 */
function bareHostEnd(text: string, at: number, hint: string): { start: number; length: number } | undefined {
  if (hint !== hint.toLowerCase()) return undefined;
  const word = hint.slice(0, -1);
  const ending = word === 'uk' || word === 'nz' ? `.co.${word}/` : word === 'au' ? '.com.au/' : `.${hint}`;
  const start = at + hint.length - ending.length;
  return start >= 0 && text.startsWith(ending, start) ? { start, length: ending.length } : undefined;
}
/**
 * An obfuscated address has an "at" or a "dot" before a closing bracket ("[at]", "(dot)"), or a
 * "dot" between spaces: words of the shared scan (searched alone, the closing brackets and the
 * "dot"s of e-mail's markup and prose cost a tenth of this detector's time).
 */
const BRACKETED = TRIGGERS.add(/\b(?:at|dot)[ \t]*[\])}>]/gi);
const SPACED_DOT = TRIGGERS.add(/\bdot[ \t](?<=[ \t]dot[ \t])/gi);
function obfuscationHint(hits: WordHits): boolean {
  return hits.exec(BRACKETED, 0) !== null || hits.exec(SPACED_DOT, 0) !== null;
}
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]|\.\d)/g;
const HEX_DIGIT = new Uint8Array(128).map((_, c) => (/[0-9A-Fa-f]/.test(String.fromCharCode(c)) ? 1 : 0));
/**
 * An IPv6 address has "::" or eight groups: six between colons (times, "10:23:45", have two). Read
 * from each colon by hand: an expression for it tries every colon of a mail header at twice the cost.
 */
function ipv6Hint(text: string): boolean {
  if (text.includes('::')) return true;
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let at = colon;
    let groups = 0;
    for (; groups < 6; groups++) {
      let end = at + 1;
      while (end - at <= 4 && HEX_DIGIT[text.charCodeAt(end)] === 1) end++;
      if (end === at + 1 || text.charCodeAt(end) !== 58) break;
      at = end;
    }
    if (groups === 6) return true;
  }
  return false;
}
const IPV6 = /(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![\w:])/g;
const VERSION = /(?:version|ver\.?|v\.?|build|release|firmware|rev\.?|revision|update|patch|software|kernel|driver|app|os|ios|android|windows|chrome|firefox|python|node|java|libraries?|package|sdk|api)[ \t:]*$/i;

export const contactDetector: Detector = {
  name: 'contacts',
  types: ['URL_PERSONAL', 'EMAIL', 'IP'],
  find(text, out, doc) {
    const urls = new Map<number, number>(); // start -> end
    const take = (start: number) => {
      if (urls.has(start)) return;
      URL_BODY.lastIndex = start;
      const m = URL_BODY.exec(text);
      if (m) urls.set(start, start + m[0].replace(/[.,;:!?]+$/, '').length);
    };
    // URLs with a scheme or www. (a "www." inside an http URL is part of it)
    for (const lead of ['http', 'www.']) {
      for (let at = text.indexOf(lead); at >= 0; at = text.indexOf(lead, at + 1)) {
        if (isWordChar(text.charCodeAt(at - 1)) || (lead === 'www.' && at >= 2 && text.startsWith('//', at - 2))) continue;
        if (lead === 'http' && !text.startsWith('://', at + 4) && !text.startsWith('s://', at + 4)) continue;
        take(at);
      }
    }
    // Bare URLs on the hosts of personal pages: "twitter.com/jane_doe", "jane.blogspot.com"
    const hits = wordHits(text, doc);
    for (let h = hits.exec(URL_HINT, 0), done = 0; h; h = hits.exec(URL_HINT, h.index + h[0].length)) {
      const end = bareHostEnd(text, h.index, h[0]);
      if (end === undefined || end.start < done) continue;
      done = end.start + end.length;
      const lead = before(text, end.start, 68);
      const host = HOST_WORD_BEFORE.exec(lead);
      if (!host) continue;
      const blog = !h[0].endsWith('/');
      if (!blog && !PERSONAL_HOSTS.has(host[1]!.toLowerCase())) continue;
      const start = end.start - lead.length + host.index;
      if (/\/\/$|[\w.]$/.test(text.slice(Math.max(0, start - 2), start))) continue; // inside a URL found above
      take(start);
    }
    for (const [start, end] of urls) {
      const kind = urlKind(text.slice(start, end));
      if (kind === 1) out.push({ type: 'URL_PERSONAL', start, end });
      else if (kind === 2) out.push({ type: 'URL_PERSONAL', start, end, kind: 'weak' });
    }
    if (text.includes('@')) {
      // At each "@": the mailbox before it, the host after it.
      for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
        let from = at;
        while (from > 0 && at - from < 64 && MAILBOX_CHAR[text.charCodeAt(from - 1)] === 1) from--;
        // (a longer run means the name was cut at 64: not a mailbox)
        const user = from < at && (from === 0 || MAILBOX_CHAR[text.charCodeAt(from - 1)] !== 1) ? text.slice(from, at) : undefined;
        HOST_AFTER.lastIndex = at + 1;
        const host = HOST_AFTER.exec(text)?.[0];
        if (!user || !host) continue;
        const kind = publicMailbox(user, host, () => before(text, at - user.length, 200, 3)) ? 'public' : undefined;
        out.push(kind ? { type: 'EMAIL', start: at - user.length, end: at + 1 + host.length, kind } : { type: 'EMAIL', start: at - user.length, end: at + 1 + host.length });
      }
    }
    if (obfuscationHint(wordHits(text, doc))) {
      OBFUSCATED.lastIndex = 0;
      for (let m = OBFUSCATED.exec(text); m; m = OBFUSCATED.exec(text)) {
        const kind = ROLE.test(m.groups!.user!) ? 'public' : undefined;
        out.push({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, ...(kind ? { kind } : {}) });
      }
    }
    if (text.includes('.')) {
      IPV4.lastIndex = 0;
      for (let m = IPV4.exec(text); m; m = IPV4.exec(text)) {
        if (VERSION.test(before(text, m.index, 24))) continue;
        out.push({ type: 'IP', start: m.index, end: m.index + m[0].length, kind: 'weak' });
      }
    }
    if (ipv6Hint(text)) {
      IPV6.lastIndex = 0;
      for (let m = IPV6.exec(text); m; m = IPV6.exec(text)) out.push({ type: 'IP', start: m.index, end: m.index + m[0].length, kind: 'weak' });
    }
  },
  findWeak(text, out) {
    // Bare domains named after a person, in running text: at each ".com", ".net" ..., the name before it.
    BARE_TLD.lastIndex = 0;
    for (let m = BARE_TLD.exec(text); m; m = BARE_TLD.exec(text)) {
      const lead = before(text, m.index, 41);
      // the host name ending there: five or more of [a-z0-9-] from a letter, not after [\w.@/-]
      let from = lead.length;
      while (from > 0 && HOST_CHAR[lead.charCodeAt(from - 1)] === 1) from--;
      const first = lead.charCodeAt(from);
      if (lead.length - from < 5 || first < 97 || first > 122 || (from > 0 && NOT_BEFORE_HOST[lead.charCodeAt(from - 1)] === 1)) continue;
      const start = m.index - (lead.length - from);
      URL_BODY.lastIndex = start;
      const url = (URL_BODY.exec(text)?.[0] ?? '').replace(/[.,;:!?]+$/, '');
      if (url && namedAfterPerson(url)) out.push({ type: 'URL_PERSONAL', start, end: start + url.length, kind: 'weak' });
    }
  },
};
