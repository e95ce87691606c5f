import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { createTestSchema, TEST_REDIS_URL, uniqueName } from '../helpers/services.js'
import { startServer, type Runtime, type ServerProcess } from '../helpers/server-process.js'
import { freePort } from '../helpers/redis-server.js'

/**
 * The same HTTP checks against the real server on Node (`tsx src/main.node.ts`) and on Bun
 * (`bun src/main.bun.ts`), each on the production shape: Redis cache, PostgreSQL store, an admin.
 */

const ADMIN = { username: 'e2e-admin', password: 'E2e-Admin-Password-7' }
const JOBS = [
  {
    source: 'E2E',
    code: '9.9.1',
    name: 'Pengecoran beton mutu e2e',
    unit: 'm3',
    classification: 'Beton',
    subClassification: 'Cor',
    components: [
      { category: 'TK', itemCode: 'L.01', description: 'Pekerja', unit: 'OH', coefficient: '1.65' },
      { category: 'BHN', itemCode: 'B.01', description: 'Semen portland', unit: 'kg', coefficient: '371' },
    ],
  },
]

interface Deployment {
  server: ServerProcess
  schema: Awaited<ReturnType<typeof createTestSchema>>
  prefix: string
  metricsPort: number
  /** Started at once and awaited last: a handler busier than Bun's default idle timeout (10 s, enforced at ~12 s) must still answer. */
  slow: Promise<number | string>
}
const deployments = {} as Record<Runtime, Deployment>

// Both servers start together (and their slow requests overlap), so the suite waits for 13 s once, not twice.
beforeAll(async () => {
  await Promise.all(
    (['node', 'bun', 'deno'] as const).map(async (runtime) => {
      const schema = await createTestSchema(`e2e_${runtime}`)
      const prefix = uniqueName(`e2e_${runtime}`)
      const metricsPort = await freePort()
      const server = await startServer(runtime, {
        REDIS_URL: TEST_REDIS_URL,
        DATABASE_URL: schema.url,
        CACHE_KEY_PREFIX: prefix,
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_API: '1000/60',
        METRICS_PORT: String(metricsPort),
      })
      const slow = fetch(`${server.url}/__test/slow?ms=13000`).then(
        (r) => r.status,
        (e: Error) => `failed: ${e.message}`,
      )
      deployments[runtime] = { server, schema, prefix, slow, metricsPort }
    }),
  )
}, 60_000)

afterAll(async () => {
  await Promise.all(
    Object.values(deployments).map(async ({ server, schema, prefix }) => {
      await server.stop()
      await schema.drop()
      const cache = createRedisCache({ client: TEST_REDIS_URL, prefix })
      await cache.clear()
      await cache.close()
    }),
  )
})

describe.each(['node', 'bun', 'deno'] as const)('end to end on %s', (runtime) => {
  const url = (path: string) => `${deployments[runtime].server.url}${path}`
  let server: ServerProcess
  beforeAll(() => {
    server = deployments[runtime].server
  })

  it('serves /health with secure headers and a generated request id', async () => {
    const res = await fetch(url('/health'))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBeTruthy()
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('honours an incoming X-Request-Id and logs one JSON line with it', async () => {
    const id = `e2e-${runtime}-${Date.now()}`
    const res = await fetch(url('/health'), { headers: { 'X-Request-Id': id } })
    expect(res.headers.get('x-request-id')).toBe(id)
    await res.arrayBuffer()
    await expect.poll(() => server.lines.find((l) => l.includes(id))).toBeTruthy()
    const line = JSON.parse(server.lines.find((l) => l.includes(id))!) as Record<string, unknown>
    // ip: the runtime's peer address reached the client-ip middleware (Node conninfo, Bun requestIP)
    expect(line).toMatchObject({ level: 'info', msg: 'request', requestId: id, method: 'GET', route: '/health', status: 200, ip: '127.0.0.1' })
    expect(typeof line.latencyMs).toBe('number')
  })

  it('is ready on Redis and PostgreSQL', async () => {
    const res = await fetch(url('/ready'))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; backend?: string }> }
    expect(body.status).toBe('ok')
    expect(body.checks.cache).toMatchObject({ ok: true, backend: 'redis', active: 'redis' })
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true)
  })

  it('answers unknown routes with a 404 problem', async () => {
    const res = await fetch(url('/no/such/route'))
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' })
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('logs in, imports, searches (MISS then HIT), reads a job, and logs out', async () => {
    const origin = server.url
    const login = await fetch(url('/auth/login'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify(ADMIN),
    })
    expect(login.status).toBe(200)
    expect(await login.json()).toMatchObject({ user: { username: ADMIN.username, role: 'admin' } })
    const setCookie = login.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const cookie = /sid=[^;]+/.exec(setCookie)![0]

    const me = await fetch(url('/auth/me'), { headers: { Cookie: cookie } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { username: ADMIN.username }, session: { expiresAt: expect.any(String) } })

    const imported = await fetch(url('/ahsp/import'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: origin },
      body: JSON.stringify(JOBS),
    })
    expect(imported.status).toBe(200)
    expect(((await imported.json()) as { errors: unknown[] }).errors).toEqual([])

    const q = `/ahsp/search?q=beton&source=E2E`
    const first = await fetch(url(q))
    expect(first.status).toBe(200)
    expect(first.headers.get('x-cache')).toBe('MISS')
    const answer = (await first.json()) as { total: number; items: { code: string }[] }
    expect(answer.items.map((i) => i.code)).toContain('9.9.1')
    const second = await fetch(url(q))
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(await second.json()).toEqual(answer)

    const job = await fetch(url('/ahsp/jobs/9.9.1?source=E2E'))
    expect(job.status).toBe(200)
    expect(((await job.json()) as { components: unknown[] }).components).toHaveLength(2)

    const out = await fetch(url('/auth/logout'), { method: 'POST', headers: { Cookie: cookie, Origin: origin } })
    expect(out.status).toBe(204)
    expect((await fetch(url('/auth/me'), { headers: { Cookie: cookie } })).status).toBe(401)
  })

  it('serves the OpenAPI document and the reference page', async () => {
    const doc = await fetch(url('/openapi.json'))
    expect(doc.status).toBe(200)
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0')
    const page = await fetch(url('/docs'))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/openapi.json')
  })

  it('answers a request that takes 13 s, past Bun’s default idle timeout (started first, awaited here)', async () => {
    expect(await deployments[runtime].slow).toBe(200)
  })

  it('sends rate-limit headers (the peer address resolves on this runtime)', async () => {
    const res = await fetch(url('/ahsp/sources'))
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit')).toMatch(/^limit=\d+, remaining=\d+, reset=\d+$/)
    expect(res.headers.get('ratelimit-policy')).toMatch(/^\d+;w=\d+$/)
  })

  it('serves /metrics on METRICS_PORT without a session, and not on the main port', async () => {
    expect((await fetch(url('/metrics'))).status).toBe(404)
    const res = await fetch(`http://127.0.0.1:${deployments[runtime].metricsPort}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/)
    const text = await res.text()
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/health",status="200"\} \d+$/m)
    expect(text).toMatch(/^cache_hits_total\{backend="redis"\} \d+$/m)
    expect(text).toMatch(new RegExp(`^app_info\\{runtime="${runtime}",runtime_version="[\\d.]+"\\} 1$`, 'm'))
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m)
  })

  it('stops on SIGTERM: closes both listeners, Redis and PostgreSQL cleanly and exits 0 (last)', async () => {
    server.signal('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(server.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true)
    expect(server.lines.filter((l) => /"level":"(warn|error)"/.test(l))).toEqual([])
    const after = await fetch(`http://127.0.0.1:${deployments[runtime].metricsPort}/metrics`).then(
      (r) => r.status,
      () => 'refused',
    )
    expect(after).toBe('refused')
  })
})
