import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openOfflineBrowser, TEST_OUTPUT, type OfflineBrowser } from '../helpers/browser.js'
import { startServer, type ServerProcess } from '../helpers/server-process.js'

/**
 * `GET /docs` in a real browser with the internet cut off: every request to a host other than 127.0.0.1
 * is aborted. The reference must render the API's operations from the app's own script, and the page
 * must not even try to reach another origin (fonts, telemetry, a CDN).
 */
let server: ServerProcess
let browser: OfflineBrowser

beforeAll(async () => {
  // A tight API limit: loading the reference (page, script, document) must not count against it.
  server = await startServer('node', { CACHE_BACKEND: 'memory', RATE_LIMIT_API: '2/60' })
  browser = await openOfflineBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('/docs offline', () => {
  it('renders the operations with no request leaving the machine', async () => {
    const { page, blocked, errors } = browser
    const res = await page.goto(`${server.url}/docs`, { waitUntil: 'load' })
    expect(res?.status()).toBe(200)
    // The rendered reference, not the HTML shell: operation paths and summaries appear in the DOM.
    await page.waitForFunction(() => document.body.innerText.includes('/ahsp/search'), undefined, { timeout: 20_000 })
    await page.waitForLoadState('networkidle')
    const text = await page.evaluate(() => document.body.innerText)
    for (const expected of ['AHSP API', '/ahsp/search', '/ahsp/jobs/{code}', '/auth/login', '/health']) expect(text).toContain(expected)
    expect(await page.evaluate(() => typeof (window as unknown as { Scalar?: unknown }).Scalar)).toBe('object')
    await mkdir(TEST_OUTPUT, { recursive: true })
    await page.screenshot({ path: join(TEST_OUTPUT, 'docs.png') })
    expect(blocked).toEqual([])
    expect(errors).toEqual([])
  }, 60_000)

  it('serves the script from the installed package, versioned and cacheable, and outside the API rate limit', async () => {
    const html = await (await fetch(`${server.url}/docs`)).text()
    const src = /<script src="([^"]+)"/.exec(html)?.[1]
    expect(src).toMatch(/^\/docs\/assets\/scalar-\d+\.\d+\.\d+\.js$/)
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/)
    for (let i = 0; i < 5; i++) {
      for (const path of ['/docs', src!, '/openapi.json']) {
        const res = await fetch(server.url + path)
        expect(res.status, path).toBe(200)
        expect(res.headers.get('ratelimit'), path).toBeNull()
        await res.arrayBuffer()
      }
    }
    const script = await fetch(server.url + src!)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    expect(script.headers.get('cache-control')).toContain('immutable')
    const plain = new Uint8Array(await script.arrayBuffer())
    expect(plain.byteLength).toBeGreaterThan(100_000)
    // Compressed for clients that accept gzip (fetch asks for it and inflates it): the same script, fewer bytes.
    expect(script.headers.get('content-encoding')).toBe('gzip')
    const raw = await fetch(server.url + src!, { headers: { 'Accept-Encoding': 'identity' } })
    expect(raw.headers.get('content-encoding')).toBeNull()
    // Buffer.equals: vitest's deep equality walks a 4.9 MB array element by element (tens of seconds).
    expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(plain))).toBe(true)
    // The API itself is still limited (2/60): the docs traffic above left it untouched.
    const api = await fetch(`${server.url}/ahsp/sources`)
    expect(api.status).toBe(200)
    expect(api.headers.get('ratelimit')).toMatch(/remaining=1/)
  })
})
