import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openOfflineBrowser, TEST_OUTPUT, type OfflineBrowser } from '../helpers/browser.js'
import { freePort } from '../helpers/redis-server.js'
import { startServer, type ServerProcess } from '../helpers/server-process.js'

/**
 * The operators' status page in a real browser while a bounded load loop runs against the app: the page
 * refreshes itself and its figures move (requests, cache hits, latency rows, 429s by policy), it fetches
 * nothing but its own JSON, and it fits a phone's width. Screenshots go to test-output/ (gitignored).
 */
let server: ServerProcess
let metricsUrl: string
let browser: OfflineBrowser

beforeAll(async () => {
  const metricsPort = await freePort()
  // A limit the load loop passes, so the page has rate-limit refusals to show.
  server = await startServer('node', { CACHE_BACKEND: 'memory', METRICS_PORT: String(metricsPort), RATE_LIMIT_API: '1500/60' })
  metricsUrl = `http://127.0.0.1:${metricsPort}`
  browser = await openOfflineBrowser({ width: 1280, height: 1000 })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** `concurrency` loops, at most `total` requests or `ms`: cache hits, misses, a 404 and (past the limit) 429s. */
async function load(ms: number, total: number, concurrency = 4): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {}
  const until = Date.now() + ms
  let n = 0
  const paths = () => {
    const i = n++
    return ['/ahsp/search?q=beton', `/ahsp/search?q=pasang+${i % 50}`, '/ahsp/sources', '/ahsp/jobs/2.2.1', '/nope'][i % 5]!
  }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until && n < total) {
        const res = await fetch(server.url + paths())
        await res.arrayBuffer()
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
      }
    }),
  )
  return statuses
}

const figures = (b: OfflineBrowser) =>
  b.page.evaluate(() => {
    const text = (k: string) => document.querySelector(`[data-k="${k}"]`)?.textContent ?? ''
    const n = (k: string) => Number(text(k).replace(/,/g, ''))
    return {
      state: document.getElementById('state')!.textContent,
      generatedAt: text('generatedAt'),
      total: n('requests.total'),
      hits: n('cache.hits'),
      misses: n('cache.misses'),
      backend: text('cache.backend'),
      jobs: n('catalog.jobs'),
      routes: [...document.querySelectorAll('#latency tr')].map((tr) => tr.firstElementChild!.textContent),
      limits: document.getElementById('limits')!.textContent,
    }
  })

describe('status page', () => {
  it('is admin-only on the main port and open on METRICS_PORT', async () => {
    expect((await fetch(`${server.url}/status`)).status).toBe(401)
    expect((await fetch(`${server.url}/status.json`)).status).toBe(401)
    const page = await fetch(`${metricsUrl}/status`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    const html = await page.text()
    expect(html).not.toMatch(/(src|href)=["']?https?:/)
  })

  it('refreshes itself under load and its figures move', async () => {
    const { page, blocked, errors } = browser
    await page.goto(`${metricsUrl}/status`)
    await page.waitForFunction(() => document.getElementById('state')!.textContent === 'OK', undefined, { timeout: 10_000 })
    const before = await figures(browser)
    expect(before.backend).toBe('memory')
    expect(before.jobs).toBeGreaterThan(0)

    const statuses = await load(10_000, 1_800)
    expect(statuses[200]).toBeGreaterThan(100)
    expect(statuses[429]).toBeGreaterThan(0)
    // Two refreshes after the load, without reloading the page.
    await page.waitForTimeout(4_500)
    const after = await figures(browser)
    expect(after.generatedAt).not.toBe(before.generatedAt)
    expect(after.total).toBeGreaterThan(before.total + 100)
    expect(after.hits).toBeGreaterThan(before.hits)
    expect(after.misses).toBeGreaterThan(before.misses)
    expect(after.routes.map((r) => r?.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/ahsp/search', '/ahsp/sources', '/ahsp/jobs/:code']))
    expect(after.limits).toMatch(/^api/)
    expect(await page.evaluate(() => document.querySelector('[data-k="requests.perSecond"]')!.textContent)).toMatch(/^\d/)

    await mkdir(TEST_OUTPUT, { recursive: true })
    await page.screenshot({ path: join(TEST_OUTPUT, 'status.png'), fullPage: true })
    expect(blocked).toEqual([])
    expect(errors).toEqual([])
  }, 60_000)

  it('fits a phone screen (no sideways scrolling)', async () => {
    const { page } = browser
    await page.setViewportSize({ width: 390, height: 844 })
    await page.waitForTimeout(2_500)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(TEST_OUTPUT, 'status-phone.png'), fullPage: true })
  })
})
