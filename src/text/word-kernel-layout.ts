/**
 * The word kernel's constants, written once: the character-class bits of its class table, its
 * token flags, and its memory layout. The host (word-kernel-host.ts, chars.ts, tokenizer.ts)
 * imports them; `npm run kernels` writes them into the AssemblyScript source where it says
 * `@layout` (scripts/build-kernels.ts), so the two sides cannot disagree.
 */

/** Character class bits, one byte per UTF-16 code unit in the kernel's class table. */
export const KERNEL_CLASSES = {
  WHITESPACE: 1,
  /** ASCII letters and digits. */
  ALNUM: 2,
  AT_SIGN: 4,
  /** Split off the front of a chunk. */
  PREFIX: 8,
  /** Split off the end of a chunk. */
  SUFFIX: 16,
  /** A letter: ASCII, or \p{L} in the Basic Multilingual Plane. */
  LETTER: 32,
  /** Gopher's (datatrove's) punctuation: a token of only these is a symbol. */
  PUNCTUATION: 64,
  /** \p{P}, Unicode punctuation: a token of only these starts no sentence (C4's sentence count). */
  UNICODE_PUNCTUATION: 128,
} as const;

/** Token flags (Tokens.flags). */
export const KERNEL_TOKEN_FLAGS = { PLAIN: 1, HAS_LETTER: 2, CHUNK_START: 4 } as const;

/**
 * What `scan` reports of a text's code units, for normalization to skip the steps that have
 * nothing to do: a control or C1 character or U+007F-U+00A0 (LOW_SPECIAL: any but tab, line
 * feed and carriage return), a carriage return, a Latin-1 UTF-8 lead byte U+00C2-U+00F4 (a
 * mojibake candidate starts with one), anything from U+00A0 and anything from U+0300.
 */
export const KERNEL_SCAN_FLAGS = { LOW_SPECIAL: 1, CARRIAGE_RETURN: 2, MOJIBAKE_LEAD: 4, FROM_00A0: 8, FROM_0300: 16 } as const;

/** Byte offsets in the kernel's memory: the class table, then tables the host writes, the results, the rest. */
export const KERNEL_MEMORY = {
  CLASSES: 0,
  /** u64 keys (asciiKey), 0-terminated. */
  ABBREVIATIONS: 65536,
  /** f64: n-gram counts by n (0..10), the word statistics (16..19), repeated lines (20..25) and paragraphs (26..28). */
  RESULTS: 65536 + 1024,
  /** u64 keys (asciiKey) by hash & mask. */
  STOP_WORDS: 65536 + 2048,
  /** The phrases `anyPhrase` looks for (the host's PhraseTable): 4 KiB. */
  PHRASES: 65536 + 4096,
  /** A bit per UTF-16 code unit: spaCy's sentence-final characters (word-kernel-host.ts SENTENCE_FINAL), 8 KiB. */
  SENTENCE_ENDS: 65536 + 8192,
  /** Where the text, the token arrays and the scratch begin. */
  DYNAMIC: 65536 + 16384,
} as const;

/** The constants as AssemblyScript declarations, for the kernel's source. */
export function assemblyScriptDeclarations(): string {
  const lines = [
    ...Object.entries(KERNEL_CLASSES).map(([name, value]) => `const ${name}: u8 = ${value};`),
    ...Object.entries(KERNEL_TOKEN_FLAGS).map(([name, value]) => `const ${name}: u8 = ${value};`),
    ...Object.entries(KERNEL_SCAN_FLAGS).map(([name, value]) => `const ${name}: i32 = ${value};`),
    ...Object.entries(KERNEL_MEMORY).map(([name, value]) => `const ${name}: usize = ${value};`),
  ];
  return lines.join('\n');
}
