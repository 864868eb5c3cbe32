// Errors that mean "the database cannot be reached or cannot take this now" (a server stopping,
// restarting or refusing connections; a SQLite file locked or failing I/O), as opposed to errors in
// the request or the code. http/problem.ts answers them 503 with Retry-After instead of 500.
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // postgres.js
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
])
// SQLSTATE: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300
// too_many_connections, 57014 query_canceled (statement_timeout, pg_cancel_backend); class 08 below
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014'])
// better-sqlite3 (extended codes start with these): another process holds the write lock past
// busy_timeout, or the file cannot be read or written
const SQLITE_PREFIXES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_FULL']

function codeIsUnavailable (code: string): boolean {
  return NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) ||
    SQLITE_PREFIXES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`))
}

// Looks through wrappers: drizzle's query errors (`cause`) and Node's AggregateError for a refused
// localhost (tried as ::1 and 127.0.0.1).
export function isDatabaseUnavailable (error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false
  const e = error as { code?: unknown, cause?: unknown, errors?: unknown }
  if (typeof e.code === 'string' && codeIsUnavailable(e.code)) return true
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true
  return isDatabaseUnavailable(e.cause, depth + 1)
}
