import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RUNTIME_COMMANDS } from '../helpers/server-process.js'

/**
 * A start-up that fails says why in one line on stderr and exits 1, on every runtime (workerd: workerd.test.ts).
 * Node runs the sources (tsx) here: only production-start.test.ts builds dist/, so no two files write it at once.
 */
const ROOT = join(import.meta.dirname, '..', '..')

function run(runtime: keyof typeof RUNTIME_COMMANDS, env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const [cmd, args] = RUNTIME_COMMANDS[runtime]
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr, stdout })
    })
  })
}

describe.each(['node', 'bun', 'deno'] as const)('start-up failures on %s', (runtime) => {
  it('a malformed PORT: one line naming it, exit 1', async () => {
    const r = await run(runtime, { PORT: 'abc' })
    expect(r.code).toBe(1)
    expect(r.stderr.trimEnd().split('\n')).toEqual(['Invalid PORT: expected an integer, got "abc"'])
  })

  it('an explicitly chosen strict cache that cannot be reached: one line, exit 1', async () => {
    const r = await run(runtime, { PORT: '0', CACHE_BACKEND: 'redis', CACHE_STRICT: 'true', REDIS_URL: 'redis://127.0.0.1:1/0', CACHE_TIMEOUT: '300' })
    expect(r.code).toBe(1)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^start-up failed: .*redis/i)
  })
})
