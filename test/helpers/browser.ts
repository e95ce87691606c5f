import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

/** Debian's `chromium` package (`.ci/run` installs it when missing); playwright-core downloads no browser. */
export const CHROMIUM = '/usr/bin/chromium'

/** Where browser tests put their screenshots (gitignored). */
export const TEST_OUTPUT = join(import.meta.dirname, '..', '..', 'test-output')

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface OfflineBrowser {
  page: Page
  context: BrowserContext
  /** Every request the page tried to send anywhere but 127.0.0.1 (each was aborted). */
  blocked: string[]
  /** Uncaught page errors and console errors. */
  errors: string[]
  close(): Promise<void>
}

/**
 * Headless Chromium with a fresh profile in which every request to a host other than 127.0.0.1 is
 * aborted and recorded: what the page shows is what a reader on a network without internet sees.
 * Throws (the test fails, it never skips) when Chromium is not installed.
 */
export async function openOfflineBrowser(viewport = { width: 1280, height: 900 }): Promise<OfflineBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`)
  const profile = await mkdtemp(join(tmpdir(), 'ahsp-chromium-'))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport })
  } catch (err) {
    await rm(profile, { recursive: true, force: true })
    throw err
  }
  const blocked: string[] = []
  const errors: string[] = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1') return route.continue()
    blocked.push(url.href)
    return route.abort('internetdisconnected')
  })
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`)
  })
  return {
    page,
    context,
    blocked,
    errors,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
