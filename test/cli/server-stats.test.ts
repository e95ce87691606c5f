import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { cacheCommands } from '../../src/cli/cache.js'
import { loadConfig } from '../../src/config.js'
import { freePort } from '../helpers/redis-server.js'
import { startServer, type ServerProcess } from '../helpers/server-process.js'

/** `cache stats` shows what the running server counted, not the CLI process's own (empty) counters. */
const ADMIN = { ADMIN_USERNAME: 'stats-admin', ADMIN_PASSWORD: 'Stats-Secret-31' }
let server: ServerProcess
let metricsPort: number

async function stats(env: Record<string, string>, args: string[] = []) {
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true))
  try {
    const code = await cacheCommands.stats!.run(args, loadConfig({ LOG_LEVEL: 'error', CACHE_BACKEND: 'memory', ...env }))
    return { code, json: JSON.parse(out) as Record<string, unknown>, err }
  } finally {
    vi.restoreAllMocks()
  }
}

beforeAll(async () => {
  metricsPort = await freePort()
  server = await startServer('node', { CACHE_BACKEND: 'memory', METRICS_PORT: String(metricsPort), ...ADMIN })
  // Two identical searches: a miss, then a hit, in the server's cache.
  for (let i = 0; i < 2; i++) await (await fetch(`${server.url}/ahsp/search?q=beton`)).arrayBuffer()
}, 30_000)

afterAll(async () => {
  await server?.stop()
})

afterEach(() => vi.restoreAllMocks())

describe('cache stats from the running server', () => {
  it('reads /status.json on METRICS_PORT when it is set', async () => {
    const { code, json } = await stats({ PORT: String(server.port), METRICS_PORT: String(metricsPort) })
    expect(code).toBe(0)
    expect(json.source).toBe(`http://127.0.0.1:${metricsPort}/status.json`)
    expect(json).toMatchObject({ backend: 'memory', active: 'memory', degraded: false })
    expect(json.hits).toBeGreaterThanOrEqual(1)
    expect(json.misses).toBeGreaterThanOrEqual(1)
  })

  it('else logs in as the configured admin and reads GET /cache/stats', async () => {
    const { code, json } = await stats({ PORT: String(server.port), ...ADMIN })
    expect(code).toBe(0)
    expect(json.source).toBe(`${server.url}/cache/stats`)
    expect(json.hits).toBeGreaterThanOrEqual(1)
  })

  it('with no server answering, says so and shows its own view, labelled', async () => {
    const { code, json, err } = await stats({ PORT: String(await freePort()), ...ADMIN })
    expect(code).toBe(0)
    expect(err).toContain('no server answered at http://127.0.0.1:')
    expect(json).toMatchObject({ source: 'cli', backend: 'memory', hits: 0 })
  })
})
