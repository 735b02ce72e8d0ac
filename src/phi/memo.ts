/**
 * Per-process answers of pure functions of a string (what a mailbox, a URL or a host is): the same
 * addresses and links recur through a corpus (a list's footer in every message), and a function of
 * its key alone gives the same answer from the table as computed, so no result depends on it.
 * Each table is bounded (emptied when full). `clearMemos` empties them all: the PHI bench clears
 * them before each round, so a round measures one pass over its texts, not answers it already saw.
 */
const tables: Map<string, unknown>[] = [];
const LIMIT = 100_000;

export function memo<T>(compute: (key: string) => T): (key: string) => T {
  const table = new Map<string, T>();
  tables.push(table as Map<string, unknown>);
  return (key) => {
    let value = table.get(key);
    if (value === undefined) {
      if (table.size >= LIMIT) table.clear();
      value = compute(key);
      table.set(key, value);
    }
    return value;
  };
}

export function clearMemos(): void {
  for (const table of tables) table.clear();
}
