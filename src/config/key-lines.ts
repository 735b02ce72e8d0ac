// Apart from the YAML loader, so that worker threads, which report rule problems by line but never
// parse YAML, do not load the parser.

/** Dotted key ("rules.3.signal") to the line it is written on, for problems found after loading. */
export type KeyLines = Record<string, number>;

/** The line of a key, or of its deepest written parent: `line 12: ` or nothing. */
export function atLine(lines: KeyLines | undefined, key: string): string {
  if (!lines) return '';
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const line = lines[parts.slice(0, n).join('.')];
    if (line !== undefined) return `line ${line}: `;
  }
  return '';
}
