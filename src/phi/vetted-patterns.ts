import { createHash } from 'node:crypto';
import { normalFlags } from '../config/pattern-syntax.js';

/**
 * The patterns winnow ships (rules/pii-patterns.yaml), by the SHA-256 of each exact string (regex, require
 * or prefilter) with its flags. Only these run on V8's own engine (irregexp), which backtracks and
 * has no time limit, but finds and replaces 30-100 times faster than re2js: the tests show each
 * one linear (the recheck ReDoS checker calls it safe, and its time on adversarial texts grows
 * with their length, not faster), and that this list is exactly the strings of rules/pii-patterns.yaml.
 * Any other pattern, a user's, runs on re2js. After editing rules/pii-patterns.yaml, the test
 * test/phi/patterns.test.ts prints the lines to put here.
 */
const VETTED = new Set([
  'c313213ec5511c936c864f2b03fd4f1f7de9c1f99324ef4f3e544c6bc12efd3a', // 1 URL_PERSONAL regex
  '08226a01064aa9b7d14dac5893cf81d881e77b0fcaa77b58b2af3ea41b051c2f', // 1 URL_PERSONAL require
  '1534e224055f6f8557faac5b6dc97e418ef42ef9a5b9e1a23e41dae8e3100716', // 2 EMAIL regex
  'b8811852747cfa3620c3dd2af5d59498c240f208e689b4052bac934c29faf094', // 2 EMAIL prefilter
  'a140b8e599e3a3ff7750e6f5fde901b74441a240f673b3feddb2ebec8b6d58f4', // 3 IP regex
  '504e19cc2a4ecb98499c4b88fdf62604eb1a54f9a69fdeecbb4d7eb02a16158d', // 4 IP regex
  '14c0469890a4999903c2c12ba67f52d9b6a937ad72234dc1e143e9bc5681f115', // 4 IP prefilter
  'c2825ab7764f3cacc5e0e543f03b1dbd7a0f8e092c8380f47726dbceab01b3bd', // 5 SSN regex
  '6b328269b99418075c06d30cbb41ad5cd79e1eb9a74b462f52163e037b858f44', // 6 SSN regex
  '88090e286f5ebaf2b9a56c42be593416307f329f07f5b589e001ebbfa318fd48', // 6 SSN prefilter
  'caa99542238b73323a922b2c0287f2efa11adc074ae8590c8058028da41a074d', // 7 DOB regex
  '010d032964ef24bdab8aa685279a7d0deabce67b27ca7a11eb2b24162e7731b2', // 7 DOB prefilter
  'e5916949c25c0bde9ab901f18e243f473215db7dcb2c63c2c855460fe6036c36', // 8 MRN regex
  'b38d74c8c90ea59b30888060582600035f0c6bb5af6daa11b42f628d84845506', // 8 MRN require
  '98390bec072e9c425e3446bfde401535a09769ffd90867007f45adbe38748862', // 8 MRN prefilter
  '0a85e90e0ef01e772ed9a4895f215dcf76df7da9c3060d272d129d299181a9ed', // 9 PHONE regex
  '4270f106c775445e75c5a57644d272ff964183cdfbed0a4f85581c763c13a961', // 10 PHONE regex
  '1bf94b26a0e2a453ffed0e4e11d61365314d5051e272089e75ed1b423bb8ba9b', // 11 PHONE regex
  'd605d05dcb4b2d44e8da69ddf9eea5a853f8dc0346c70159387ce965c286de3a', // 11 PHONE prefilter
]);

/** The key a pattern string is vetted under: SHA-256 of its flags (i, m, s, sorted), a NUL, and the source. */
export function vettedKey(source: string, flags = ''): string {
  return createHash('sha256').update(`${normalFlags(flags)}\0${source}`).digest('hex');
}

export function isVetted(source: string, flags = ''): boolean {
  return VETTED.has(vettedKey(source, flags));
}

export const vettedKeys = (): ReadonlySet<string> => VETTED;
