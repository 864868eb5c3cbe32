// The few words of SQL the management repositories write differently per engine; everything else
// they send is the same text on both (db/sql-runner.ts).
// - Row locks for read-check-write in a transaction: PostgreSQL runs READ COMMITTED, so a write that
//   checks a row first (If-Match, "still unused", "exists") locks it: FOR UPDATE on the row it will
//   change, FOR KEY SHARE on a row it only references (so a concurrent delete waits, then the check
//   sees it gone). SQLite's transactions are serialised (BEGIN IMMEDIATE): no locks needed.
// - A text field of a JSON column (revision snapshots).
export interface Dialect {
  readonly forUpdate: string
  readonly forKeyShare: string
  jsonText (column: string, key: string): string
}

export const sqliteDialect: Dialect = {
  forUpdate: '',
  forKeyShare: '',
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
}

export const postgresDialect: Dialect = {
  forUpdate: ' for update',
  forKeyShare: ' for key share',
  jsonText: (column, key) => `(${column} ->> '${key}')`,
}

// A JSON column as stored: text on SQLite, already parsed (jsonb) on PostgreSQL.
export function fromJson<T> (value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}
