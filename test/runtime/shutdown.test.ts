import { afterEach, describe, expect, it } from 'vitest'
import { tryConnect } from '../helpers/port-probe.js'
import { startServer, type Runtime, type ServerProcess } from '../helpers/server-process.js'

/** Real processes on both runtimes: SIGTERM during a slow request (served only under APP_ENV=test). */

const running: ServerProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop(1000)))
})

async function start(runtime: Runtime, env: Record<string, string> = {}) {
  const s = await startServer(runtime, { CACHE_BACKEND: 'memory', ...env })
  running.push(s)
  return s
}

async function waitForLine(s: ServerProcess, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!s.lines.some((l) => l.includes(text))) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in ${s.runtime} logs: ${s.lines.join('\n')}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe.each(['node', 'bun', 'deno'] as const)('graceful shutdown on %s', (runtime) => {
  it('SIGTERM: the in-flight request completes, new connections are refused, exit 0', async () => {
    const s = await start(runtime)
    const slow = fetch(`${s.url}/__test/slow?ms=1500`)
    await waitForLine(s, 'slow request started')
    s.signal('SIGTERM')
    await waitForLine(s, 'shutting down')
    expect(await tryConnect(s.port)).toBe('refused')
    const res = await slow
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ sleptMs: 1500 })
    expect(await s.exited).toBe(0)
    expect(s.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true)
  })

  it('cuts requests still running after SHUTDOWN_TIMEOUT_MS and still exits 0', async () => {
    // Also the real start-up path on an unreachable password-protected Redis (auto → memory fallback).
    const s = await start(runtime, { SHUTDOWN_TIMEOUT_MS: '200', CACHE_BACKEND: 'auto', REDIS_URL: 'redis://:s3cret@127.0.0.1:1/0' })
    const slow = fetch(`${s.url}/__test/slow?ms=30000`).then(
      (r) => r.status,
      () => 'cut' as const,
    )
    await waitForLine(s, 'slow request started')
    s.signal('SIGTERM')
    expect(await s.exited).toBe(0)
    expect(await slow).toBe('cut')
    expect(s.lines.some((l) => l.includes('shutdown timeout'))).toBe(true)
    expect(s.lines.some((l) => l.includes('"level":"warn"') && /redis/i.test(l) && l.includes('unreachable'))).toBe(true)
    expect([...s.lines, ...s.stderr].join('\n')).not.toContain('s3cret')
  })

  it('a second signal exits at once with 1', async () => {
    const s = await start(runtime, { SHUTDOWN_TIMEOUT_MS: '60000' })
    const slow = fetch(`${s.url}/__test/slow?ms=30000`).catch(() => 'cut')
    await waitForLine(s, 'slow request started')
    s.signal('SIGTERM')
    await waitForLine(s, 'shutting down')
    s.signal('SIGINT')
    expect(await s.exited).toBe(1)
    await slow
  })
})
