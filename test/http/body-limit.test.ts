import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseSize } from '../../src/config.js'
import { createCatalogApp, form, ORIGIN } from '../helpers/catalog-app.js'

const KB = 1024
const MB = 1024 * KB

/** A body sent without a length (chunked): `total` bytes in 64 KB chunks, counting what the app pulled. */
function chunked(total: number) {
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close()
      const n = Math.min(64 * KB, total - sent)
      sent += n
      controller.enqueue(new Uint8Array(n).fill(0x61))
    },
  })
  return { stream, sent: () => sent }
}

describe('BODY_LIMIT', () => {
  it('reads bytes, kb, mb (units of 1024), default 1mb; anything else is a ConfigError naming the variable', () => {
    expect(loadConfig({}).bodyLimit).toBe(MB)
    expect(loadConfig({ BODY_LIMIT: '512kb' }).bodyLimit).toBe(512 * KB)
    expect(loadConfig({ BODY_LIMIT: '2MB' }).bodyLimit).toBe(2 * MB)
    expect(loadConfig({ BODY_LIMIT: '1.5mb' }).bodyLimit).toBe(1.5 * MB)
    expect(parseSize('BODY_LIMIT', '4096')).toBe(4096)
    for (const bad of ['abc', '1 tb', '-1mb', '0', 'mb', '2gb']) {
      expect(() => loadConfig({ BODY_LIMIT: bad })).toThrow(ConfigError)
      expect(() => loadConfig({ BODY_LIMIT: bad })).toThrow(/^Invalid BODY_LIMIT: /)
    }
  })
})

describe('request bodies are bounded before they are read', () => {
  let t: Awaited<ReturnType<typeof createCatalogApp>>
  let admin: string
  beforeAll(async () => {
    t = await createCatalogApp({ env: { BODY_LIMIT: '64kb' } })
    admin = await t.login()
  })
  afterAll(() => t?.close())

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    t.app.request(path, { method: 'POST', body, headers: { Origin: ORIGIN, 'Content-Type': 'application/json', ...headers }, duplex: 'half' } as RequestInit)

  it('413 problem+json from the Content-Length header alone, on a route without a session', async () => {
    const res = await post('/auth/login', JSON.stringify({ username: 'a'.repeat(100 * KB), password: 'x' }))
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 413, title: 'Payload Too Large', detail: `Request body exceeds ${64 * KB} bytes` })
  })

  it('a chunked body is read only until it passes the bound', async () => {
    const body = chunked(50 * MB)
    const res = await post('/auth/login', body.stream)
    expect(res.status).toBe(413)
    expect((await res.json()).status).toBe(413)
    expect(body.sent()).toBeLessThan(64 * KB + 3 * 64 * KB)
  })

  it('bodies under the bound pass (a wrong login is still a 401, malformed JSON a 400)', async () => {
    expect((await post('/auth/login', JSON.stringify({ username: 'nobody', password: 'wrong' }))).status).toBe(401)
    expect((await post('/auth/login', chunked(10 * KB).stream)).status).toBe(400)
  })

  it('unmatched routes and other methods are bounded too', async () => {
    const big = new Uint8Array(100 * KB)
    expect((await post('/no/such/route', big)).status).toBe(413)
    const put = await t.app.request('/auth/logout', { method: 'PUT', body: big, headers: { Origin: ORIGIN } })
    expect(put.status).toBe(413)
  })

  it('imports keep their own 10 MB bound, applied after the admin check', async () => {
    const csv = ['kode_ahsp,nama_ahsp,kategori,kode_item,item,satuan,koefisien']
      .concat(Array.from({ length: 2000 }, (_, i) => `9.9.${i},Galian tanah biasa nomor ${i},TK,L.01,Pekerja,OH,1`))
      .join('\r\n')
    expect(csv.length).toBeGreaterThan(64 * KB)
    const ok = await t.app.request('/ahsp/import', { method: 'POST', body: form({ file: { name: 'a.csv', data: csv } }), headers: { Origin: ORIGIN, Cookie: admin } })
    expect(ok.status).toBe(200)
    const anonymous = await post('/ahsp/import', chunked(11 * MB).stream, { 'Content-Type': 'text/csv' })
    expect(anonymous.status).toBe(401)
    const tooBig = await post('/ahsp/import', chunked(11 * MB).stream, { Cookie: admin, 'Content-Type': 'text/csv' })
    expect(tooBig.status).toBe(413)
    expect((await tooBig.json()).detail).toBe(`Request body exceeds ${10 * MB} bytes`)
  })
})
