import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { loginCookie } from '../helpers/login.js'
import { createTestSchema } from '../helpers/services.js'

/**
 * Issue 10 item 8: bad input never 500s, on any store. Every field a client controls × hostile values, on
 * the memory stores and on PostgreSQL (users, sessions, catalog and the db cache): the answer is 2xx or 4xx.
 */
const ADMIN = { username: 'hostile-admin', password: 'Hostile-Admin-Pass-1' }
const ORIGIN = 'http://localhost'
const HUGE = 200_000

/** Hostile strings as JS strings (JSON bodies) and as they travel in a URL (raw percent-encoding). */
const VALUES: { name: string; text: string; url: string }[] = [
  { name: 'NUL', text: 'a\u0000b', url: 'a%00b' },
  { name: 'only NUL', text: '\u0000', url: '%00' },
  { name: 'lone high surrogate', text: 'x\uD800y', url: 'x%ED%A0%80y' },
  { name: 'lone low surrogate', text: '\uDFFF', url: '%ED%BF%BF' },
  { name: 'invalid UTF-8', text: '\uFFFD', url: '%FF%FE' },
  { name: 'C0 controls and DEL', text: '\u0001\u0008\u001b\u007f', url: '%01%08%1B%7F' },
  { name: 'bidi override and zero-width', text: '\u202Egalian\u200B', url: '%E2%80%AEgalian%E2%80%8B' },
  { name: 'astral and combining', text: '𝔘̈ ̈ 🧱', url: encodeURIComponent('𝔘̈ ̈ 🧱') },
  { name: 'SQL and LIKE metacharacters', text: "%' OR 1=1 --_\\", url: encodeURIComponent("%' OR 1=1 --_\\") },
  { name: 'huge', text: 'a'.repeat(HUGE), url: 'a'.repeat(HUGE) },
  { name: 'huge NULs', text: '\u0000'.repeat(HUGE / 4), url: '%00'.repeat(HUGE / 4) },
  { name: 'empty', text: '', url: '' },
]

/** Header values can carry bytes 0x20–0xFF only (a client cannot send NUL or CR/LF in one). */
const HEADER_VALUES: { name: string; text: string }[] = [
  { name: 'huge', text: 'a'.repeat(HUGE) },
  { name: 'latin-1 bytes', text: '\u00ff\u00e9\u00a0;=,"' },
  { name: 'many cookies', text: Array.from({ length: 500 }, (_, i) => `c${i}=${i}`).join('; ') },
  { name: 'odd sid', text: 'sid=%00%ED%A0%80; sid=' + 'A'.repeat(43) },
]

interface Store {
  name: string
  env(): Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>
}
const base = {
  APP_ENV: 'test',
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  RATE_LIMIT_API: '1000000/60',
  RATE_LIMIT_LOGIN: '1000000/60',
  RATE_LIMIT_IMPORT: '1000000/60',
}
const stores: Store[] = [
  { name: 'memory', env: async () => ({ env: { ...base, CACHE_BACKEND: 'memory' } }) },
  {
    name: 'PostgreSQL (users, sessions, catalog, db cache)',
    async env() {
      const schema = await createTestSchema('hostile')
      return { env: { ...base, CACHE_BACKEND: 'db', DATABASE_URL: schema.url, CATALOG_SEED: 'false' }, drop: schema.drop }
    },
  },
]

type Probe = { label: string; path: string; init?: RequestInit; admin?: boolean }

function probes(): Probe[] {
  const out: Probe[] = []
  const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
  for (const v of VALUES) {
    out.push({ label: `login username ${v.name}`, path: '/auth/login', init: json({ username: v.text, password: 'Some-Password-1' }) })
    out.push({ label: `login password ${v.name}`, path: '/auth/login', init: json({ username: ADMIN.username, password: v.text }) })
    out.push({ label: `login both ${v.name}`, path: '/auth/login', init: json({ username: v.text, password: v.text }) })
    out.push({ label: `search q ${v.name}`, path: `/ahsp/search?q=${v.url}` })
    out.push({ label: `search source ${v.name}`, path: `/ahsp/search?q=beton&source=${v.url}` })
    out.push({ label: `search category ${v.name}`, path: `/ahsp/search?q=beton&category=${v.url}` })
    out.push({ label: `search in/page/limit ${v.name}`, path: `/ahsp/search?q=beton&in=${v.url}&page=${v.url}&limit=${v.url}` })
    out.push({ label: `job code ${v.name}`, path: `/ahsp/jobs/${v.url || '%20'}` })
    out.push({ label: `job source ${v.name}`, path: `/ahsp/jobs/1.1.1.1?source=${v.url}` })
    const row = { kode_ahsp: '9.8.7', nama_ahsp: 'Galian uji', kategori: 'TK', kode_item: 'L.01', item: 'Pekerja', satuan: 'OH', koefisien: '1' }
    for (const field of Object.keys(row)) {
      out.push({ label: `import JSON ${field} ${v.name}`, path: '/ahsp/import', admin: true, init: json([{ ...row, [field]: v.text }]) })
    }
    out.push({ label: `import source ${v.name}`, path: `/ahsp/import?source=${v.url}`, admin: true, init: json([row]) })
    const csv = `kode_ahsp,nama_ahsp,kategori,kode_item,item,satuan,koefisien\r\n9.8.6,${v.text},TK,L.01,${v.text},OH,1\r\n`
    out.push({ label: `import CSV ${v.name}`, path: '/ahsp/import', admin: true, init: { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } } })
    const price = { itemCode: 'L.01', description: 'Pekerja', unit: 'OH', price: '150.000' }
    const put = (body: string, type: string): RequestInit => ({ method: 'PUT', body, headers: { 'Content-Type': type } })
    for (const field of Object.keys(price)) {
      out.push({ label: `price list JSON ${field} ${v.name}`, path: '/prices/hostile', admin: true, init: put(JSON.stringify({ items: [{ ...price, [field]: v.text }] }), 'application/json') })
    }
    const priceCsv = `kode_item,uraian,satuan,harga\r\n${v.text},${v.text},${v.text},${v.text}\r\nL.01,Pekerja,OH,"${v.text}"\r\n`
    out.push({ label: `price list CSV ${v.name}`, path: '/prices/hostile', admin: true, init: put(priceCsv, 'text/csv') })
    out.push({ label: `price list name ${v.name}`, path: `/prices/${v.url}`, admin: true, init: put(JSON.stringify({ items: [price] }), 'application/json') })
    out.push({ label: `price list read ${v.name}`, path: `/prices/${v.url}` })
    out.push({ label: `job price list/overhead ${v.name}`, path: `/ahsp/jobs/${v.url}/price?list=${v.url}&overhead=${v.url}` })
    out.push({ label: `estimate fields ${v.name}`, path: '/estimates', init: json({ list: v.text, overheadPercent: v.text, taxPercent: v.text, rounding: v.text, lines: [{ code: v.text, source: v.text, volume: v.text }] }) })
  }
  for (const h of HEADER_VALUES) {
    out.push({ label: `X-Request-Id ${h.name}`, path: '/ahsp/search?q=beton', init: { headers: { 'X-Request-Id': h.text } } })
    out.push({ label: `Cookie ${h.name} on /auth/me`, path: '/auth/me', init: { headers: { Cookie: h.text } } })
    out.push({ label: `Cookie ${h.name} on logout`, path: '/auth/logout', init: { method: 'POST', headers: { Cookie: h.text } } })
    out.push({ label: `Origin ${h.name}`, path: '/auth/logout', init: { method: 'POST', headers: { Origin: h.text } } })
  }
  out.push({ label: 'invalid UTF-8 JSON body', path: '/auth/login', init: { method: 'POST', body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), headers: { 'Content-Type': 'application/json' } } })
  out.push({ label: 'deeply nested JSON', path: '/auth/login', init: { method: 'POST', body: '['.repeat(100_000) + ']'.repeat(100_000), headers: { 'Content-Type': 'application/json' } } })
  out.push({ label: 'deeply nested JSON import', path: '/ahsp/import', admin: true, init: { method: 'POST', body: '['.repeat(100_000) + ']'.repeat(100_000), headers: { 'Content-Type': 'application/json' } } })
  return out
}

describe.each(stores)('hostile input on $name: never a 5xx', (store) => {
  let container: Container
  let admin: string
  let drop: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const made = await store.env()
    drop = made.drop
    container = await buildContainer(loadConfig(made.env), silentLogger, { passwordIterations: 1000 })
    admin = await loginCookie(container.app, ADMIN)
  }, 60_000)
  afterAll(async () => {
    await container?.close()
    await drop?.()
  })

  it('every route × every hostile value answers 2xx or 4xx (problem+json when 4xx)', async () => {
    const failures: string[] = []
    for (const p of probes()) {
      const headers = new Headers(p.init?.headers)
      if ((p.init?.method ?? 'GET') !== 'GET' && !headers.has('Origin')) headers.set('Origin', ORIGIN)
      if (p.admin) headers.set('Cookie', admin)
      const res = await container.app.request(p.path, { ...p.init, headers })
      const text = await res.text()
      if (res.status >= 500) failures.push(`${p.label}: ${res.status} ${text.slice(0, 200)}`)
      else if (res.status >= 400 && !res.headers.get('content-type')?.includes('application/problem+json')) failures.push(`${p.label}: ${res.status} without problem+json`)
    }
    if (failures.length) console.log(failures.map((f) => f.slice(0, 120)).join("\n"))
    expect(failures).toEqual([])
  }, 120_000)

  it('a user can still log in afterwards, and the catalog answers', async () => {
    expect(await loginCookie(container.app, ADMIN)).toMatch(/^sid=/)
    expect((await container.app.request('/ahsp/search?q=galian')).status).toBe(200)
  })
})
