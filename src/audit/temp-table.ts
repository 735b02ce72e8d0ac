import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Puts distinct strings into a temporary one-column table `table (column VARCHAR)`, runs `use`
 * (queries that join with it), and drops the table: how many keys or ids are looked up in one
 * pass over a run's files instead of one query each.
 */
export async function withTempColumn<T>(con: DuckDBConnection, table: string, column: string, values: Iterable<string>, use: () => Promise<T>): Promise<T> {
  await con.run(`CREATE OR REPLACE TEMP TABLE ${table} (${column} VARCHAR)`);
  const appender = await con.createAppender(table);
  for (const value of new Set(values)) {
    appender.appendVarchar(value);
    appender.endRow();
  }
  appender.closeSync();
  try {
    return await use();
  } finally {
    await con.run(`DROP TABLE ${table}`);
  }
}
