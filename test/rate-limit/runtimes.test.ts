import { afterAll, describe, expect, it } from 'vitest'
import { startServer, type Runtime, type ServerProcess } from '../helpers/server-process.js'

/**
 * The peer address comes from the runtime (`getConnInfo` on Node, `server.requestIP` on Bun), passed in by
 * each entry point: on both, a real server must see 127.0.0.1 — not the shared `unknown` — and count by it.
 */
describe.each<Runtime>(['node', 'bun'])('client address on a real %s server', (runtime) => {
  let server: ServerProcess | undefined
  afterAll(async () => {
    await server?.stop()
  })

  const get = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${server!.url}/ahsp/sources`, { headers })
    await res.arrayBuffer()
    return res.status
  }
  const loggedIps = () =>
    server!.lines
      .map((l) => JSON.parse(l) as { msg: string; path?: string; ip?: string })
      .filter((l) => l.msg === 'request' && l.path === '/ahsp/sources')
      .map((l) => l.ip)

  it('counts by the peer address, and by the right-most untrusted X-Forwarded-For hop behind a proxy', async () => {
    server = await startServer(runtime, { CACHE_BACKEND: 'memory', RATE_LIMIT_API: '2/60', TRUST_PROXY: 'true' })
    expect([await get(), await get(), await get()]).toEqual([200, 200, 429])
    // The loopback peer is a trusted proxy, so the hop it reports is the client: a fresh count.
    expect(await get({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' })).toBe(200)
    await expect.poll(loggedIps).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '203.0.113.9'])
  })
})
