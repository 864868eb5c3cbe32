// The storage seam holds: SQL and database drivers appear only in repository files (any file whose
// name contains `repository`: repository.ts, repository.sqlite.ts, repository.postgres.ts,
// <name>-repository.ts, and the SQLite internals named <part>.repository.sqlite.ts), in src/db/ and
// in migrations. Everything else reaches the database through app.store.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const SRC = join(ROOT, 'src')

const DRIVERS = /^(better-sqlite3|postgres|drizzle-orm)(\/|$)|(^|\/)db\/statements\.js$/
// SQL statements as they are written in this code base, in a string or template literal
const SQL = /\b(select\b[\s\S]+?\bfrom\b|insert\s+into\b|delete\s+from\b|update\s+[a-z_"]+\s+set\b|create\s+(unique\s+)?(table|index)\b|pragma\s+[a-z_]+|with\s+recursive\b)/i

const isRepositoryFile = (path: string) => /repository/.test(path.split('/').at(-1)!)
const outsideTheSeam = (path: string) => !path.startsWith('src/db/') && !isRepositoryFile(path)

function sourceFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

// What a file imports (static, dynamic, re-exports) and the SQL-looking text of its literals.
export function violations (fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1
  const visit = (node: ts.Node) => {
    let specifier: ts.Expression | undefined
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) specifier = node.moduleSpecifier
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) specifier = node.arguments[0]
    if (specifier && ts.isStringLiteral(specifier) && DRIVERS.test(specifier.text)) {
      found.push(`${fileName}:${line(node)} imports ${specifier.text}`)
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const literal = ts.isTemplateExpression(node)
        ? [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ? ')
        : node.text
      const match = SQL.exec(literal)
      if (match) found.push(`${fileName}:${line(node)} has SQL: "${match[0].slice(0, 60)}"`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('architecture: the storage seam', () => {
  it('finds no SQL and no driver import in src/ outside repository files and src/db/', () => {
    const files = sourceFiles(SRC).map((path) => relative(ROOT, path).split('\\').join('/')).filter(outsideTheSeam)
    expect(files.length).toBeGreaterThan(50)
    const found = files.flatMap((path) => violations(path, readFileSync(join(ROOT, path), 'utf8')))
    expect(found).toEqual([])
  })

  it('would notice each kind of violation (the check itself works)', () => {
    expect(violations('x.ts', "import Database from 'better-sqlite3'")).toHaveLength(1)
    expect(violations('x.ts', "import { eq } from 'drizzle-orm'\nimport type postgres from 'postgres'")).toHaveLength(2)
    expect(violations('x.ts', "import { statement } from '../db/statements.js'")).toHaveLength(1)
    expect(violations('x.ts', "const m = await import('drizzle-orm/pg-core')")).toHaveLength(1)
    expect(violations('x.ts', "const q = 'select id from articles where slug = ?'")).toHaveLength(1)
    // eslint-disable-next-line no-template-curly-in-string -- a template as source text
    expect(violations('x.ts', 'const q = `select ${cols}\n  from articles`')).toHaveLength(1)
    expect(violations('x.ts', 'run(`delete from tags where id = :id`)')).toHaveLength(1)
    expect(violations('x.ts', "db.exec('PRAGMA optimize')")).toHaveLength(1)
    // prose and other imports are fine
    expect(violations('x.ts', "// select a row from the table\nconst t = 'Choose a section'\nimport { z } from 'zod'")).toEqual([])
    expect(isRepositoryFile('src/articles/list.repository.sqlite.ts') && isRepositoryFile('src/keys/repository.ts')).toBe(true)
    expect(outsideTheSeam('src/articles/service.ts') && !outsideTheSeam('src/db/sqlite/backup.ts')).toBe(true)
  })
})
