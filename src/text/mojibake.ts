/**
 * Repairs the commonest mojibake: UTF-8 bytes decoded as Windows-1252 or Latin-1, which turns
 * "é" into "Ã©" and "’" into "â€™". A run is repaired only when its characters map back to bytes
 * that form one valid UTF-8 sequence: a lead byte (Â..ô) directly followed by the right number of
 * continuation bytes. Ordinary text rarely has that shape ("Ã la carte" has a space after the Ã);
 * the price is that a genuine "Â°" or "Ã©" in Latin-1 prose would be "repaired" too, which is why
 * the step can be switched off (normalize.fix_mojibake).
 */

/** Windows-1252's characters for bytes 0x80-0x9F; the other bytes map to the same code point. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const BYTE_OF = new Map<number, number>();
for (let b = 0x80; b <= 0xff; b++) BYTE_OF.set(b, b); // Latin-1
for (let i = 0; i < CP1252_HIGH.length; i++) BYTE_OF.set(CP1252_HIGH.charCodeAt(i), 0x80 + i);

const CONTINUATION = `\\u0080-\\u00BF${CP1252_HIGH.replace(/[\u0080-\u00BF]/g, '')}`;
// A UTF-8 lead byte (0xC2-0xF4) as Latin-1, then one to three continuation bytes. Bounded
// repetition of a single character class: no backtracking blow-up.
const CANDIDATE = new RegExp(`[\\u00C2-\\u00F4][${CONTINUATION}]{1,3}`, 'g');

const strict = new TextDecoder('utf-8', { fatal: true });

function repairRun(run: string): string {
  const bytes = new Uint8Array(run.length);
  for (let i = 0; i < run.length; i++) bytes[i] = BYTE_OF.get(run.charCodeAt(i)) ?? 0;
  const lead = bytes[0]!;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if (run.length < length) return run;
  try {
    return strict.decode(bytes.subarray(0, length)) + run.slice(length);
  } catch {
    return run;
  }
}

/** The repaired text and how many sequences were repaired (0: the text is returned as is). */
export function fixMojibake(text: string): { text: string; fixed: number } {
  let fixed = 0;
  let current = text;
  // Text encoded wrongly twice needs two passes; three is the most seen in the wild.
  for (let pass = 0; pass < 3; pass++) {
    let changed = 0;
    const next = current.replace(CANDIDATE, (run) => {
      const repaired = repairRun(run);
      if (repaired !== run) changed++;
      return repaired;
    });
    if (changed === 0) break;
    fixed += changed;
    current = next;
  }
  return { text: current, fixed };
}
