import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

/** A port this file holds, so a server told to listen on it cannot. */
let taken: Server
let takenPort = 0
beforeAll(async () => {
  taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  takenPort = (taken.address() as { port: number }).port
})
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())))

describe.each(['node', 'bun', 'deno'] as const)('start-up failures on %s', (runtime) => {
  it.each(['PORT', 'METRICS_PORT'])('%s already taken: one line naming the listener and the address, exit 1', async (variable) => {
    const r = await run(runtime, { PORT: '0', [variable]: String(takenPort) })
    expect(r.code).toBe(1)
    const listener = variable === 'PORT' ? 'http' : 'metrics'
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^start-up failed: ${listener} listener on 127\\.0\\.0\\.1:${takenPort}: .*(in use|EADDRINUSE)`, 'i'))])
  })

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
