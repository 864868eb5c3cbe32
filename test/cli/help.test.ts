// `npm run cli -- help` lists every command and exits 0; an unknown command is exit code 2.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const cli = (...args: string[]) => promisify(execFile)('node_modules/.bin/tsx', ['src/cli/index.ts', ...args])

describe('npm run cli -- help', () => {
  it('prints every command on standard output and exits 0, as do --help and -h', async () => {
    for (const flag of ['help', '--help', '-h']) {
      const { stdout } = await cli(flag)
      for (const command of ['migrate', 'seed', 'import', 'keys', 'openapi', 'backup', 'restore', 'help']) {
        expect(stdout, flag).toMatch(new RegExp(`^  ${command} `, 'm'))
      }
    }
  })

  it('answers an unknown command with the list on standard error and exit code 2', async () => {
    const failure = await cli('bogus').then(() => null, (error: { code: number, stderr: string }) => error)
    expect(failure?.code).toBe(2)
    expect(failure?.stderr).toContain('unknown command "bogus"')
  })
})
