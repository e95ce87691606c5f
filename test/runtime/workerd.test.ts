import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { AHSP_DATA_DIR } from '../helpers/ahsp-data.js'
import { buildWorker, startWorkerd, type WorkerdProcess } from '../helpers/workerd.js'

/**
 * The app built for Workers (`npm run build:workerd`) in a real workerd process, on the embedded default:
 * the same answers as the Node composition in this process, for search, job detail, pricing and the session
 * round trip. The admin comes from ADMIN_USERNAME/ADMIN_PASSWORD, as bindings (`fromEnvironment`).
 */
const ADMIN = { username: 'wd-admin', password: 'Workerd-Admin-Password-7' }
const CSV = readFileSync(`${AHSP_DATA_DIR}/../prices/contoh-2025.csv`)
let wd: WorkerdProcess
let node: Container

beforeAll(async () => {
  await buildWorker()
  // Each assigned as it comes, so afterAll stops whichever started when the other failed.
  await Promise.all([
    startWorkerd({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, RATE_LIMIT_API: '1000/60' }).then((p) => (wd = p)),
    buildContainer(loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }), silentLogger, { passwordIterations: 1000 }).then((c) => (node = c)),
  ])
}, 60_000)
afterAll(async () => {
  await wd?.stop()
  await node?.close()
})

/** The same request to workerd (over HTTP) and to the Node app (in process). */
async function both(path: string, init: RequestInit = {}) {
  const [w, n] = await Promise.all([fetch(`${wd.url}${path}`, init), node.app.request(path, init)])
  return { w, n, wBody: await w.json(), nBody: await n.json() }
}

async function login(send: (path: string, init: RequestInit) => Promise<Response> | Response, origin: string) {
  const res = await send('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify(ADMIN) })
  expect(res.status).toBe(200)
  return /sid=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0]
}

describe('the app on workerd', () => {
  it('answers the first request within seconds, with the shipped reference loaded', async () => {
    const started = performance.now()
    const res = await fetch(`${wd.url}/health`)
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(wd.stdout.some((l) => l.includes('"msg":"catalog loaded"') && l.includes('"jobs":2305'))).toBe(true)
  })

  it('searches the shipped reference: the real first hit for "galian tanah", as on Node', async () => {
    const { w, wBody, nBody } = await both('/ahsp/search?q=galian%20tanah')
    expect(w.status).toBe(200)
    expect(wBody.total).toBe(31)
    expect(wBody.items[0].code).toBe('1.2.3.1.1')
    expect(wBody).toEqual(nBody)
  })

  it('shows a job with its components, as on Node', async () => {
    const { w, wBody, nBody } = await both('/ahsp/jobs/1.2.3.1.1')
    expect(w.status).toBe(200)
    expect(wBody.components.length).toBeGreaterThan(0)
    expect(wBody).toEqual(nBody)
  })

  it('logs in, knows the session, logs out; the old cookie is refused', async () => {
    const sid = await login((p, i) => fetch(`${wd.url}${p}`, i), wd.url)
    const me = await fetch(`${wd.url}/auth/me`, { headers: { Cookie: sid } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { username: ADMIN.username, role: 'admin' } })
    const out = await fetch(`${wd.url}/auth/logout`, { method: 'POST', headers: { Cookie: sid, Origin: wd.url } })
    expect(out.status).toBeLessThan(300)
    expect((await fetch(`${wd.url}/auth/me`, { headers: { Cookie: sid } })).status).toBe(401)
  })

  it('prices a job with the example list loaded through PUT /prices/:list, to the cent as on Node', async () => {
    for (const [send, origin] of [
      [(p: string, i: RequestInit) => fetch(`${wd.url}${p}`, i), wd.url],
      [(p: string, i: RequestInit) => node.app.request(p, i), 'http://localhost'],
    ] as const) {
      const body = new FormData()
      body.set('file', new Blob([CSV]), 'contoh-2025.csv')
      const res = await send('/prices/contoh-2025', { method: 'PUT', body, headers: { Cookie: await login(send, origin), Origin: origin } })
      expect(res.status).toBe(200)
    }
    const { w, wBody, nBody } = await both('/ahsp/jobs/1.2.3.1.1/price?list=contoh-2025')
    expect(w.status).toBe(200)
    expect(wBody.unitPrice).toMatch(/^\d+\.\d+$/)
    expect(wBody).toEqual(nBody)
  })
})

describe('a start-up failure on workerd', () => {
  const lines = (p: WorkerdProcess) => p.stderr.join('').split('\n').filter((l) => l.startsWith('start-up failed'))

  it('a malformed setting: one line when workerd loads the worker, then 503 with the reason', async () => {
    const bad = await startWorkerd({ CACHE_TIMEOUT: 'abc' })
    try {
      expect(lines(bad)).toEqual(['start-up failed: Invalid CACHE_TIMEOUT: expected an integer, got "abc"'])
      const res = await fetch(`${bad.url}/health`)
      expect(res.status).toBe(503)
      expect((await res.json()).detail).toBe(lines(bad)[0])
      expect(bad.stderr.join('')).not.toMatch(/\bat \w|Error:/) // no stack
    } finally {
      await bad.stop()
    }
  })

  it('a server the embedded default cannot use (DATABASE_URL): one line at the first request, however many follow', async () => {
    const bad = await startWorkerd({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' })
    try {
      const answers = await Promise.all([1, 2, 3].map(() => fetch(`${bad.url}/ahsp/search?q=beton`).then((r) => r.status)))
      expect(answers).toEqual([503, 503, 503])
      await new Promise((r) => setTimeout(r, 100))
      expect(lines(bad)).toEqual(['start-up failed: DATABASE_URL: not available on workerd (memory only: unset it)'])
    } finally {
      await bad.stop()
    }
  })
})
