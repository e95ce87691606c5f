import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { readReferenceFile } from '../helpers/ahsp-data.js'
import { createTestSchema } from '../helpers/services.js'
import { loginCookie } from '../helpers/login.js'

const ADMIN = { username: 'import-admin', password: 'Import-Admin-Pass-1' }
const env = { APP_ENV: 'test', CACHE_BACKEND: 'memory', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }

interface Setup {
  name: string
  env(): Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>
}

const setups: Setup[] = [
  { name: 'the embedded default (memory catalog, memory cache)', env: async () => ({ env }) },
  {
    name: 'PostgreSQL catalog and db cache (fresh schema)',
    async env() {
      const schema = await createTestSchema('catalog_e2e')
      return { env: { ...env, CACHE_BACKEND: 'db', DATABASE_URL: schema.url }, drop: schema.drop }
    },
  },
]

describe.each(setups)('buildContainer, $name: import the real workbook over HTTP', (setup) => {
  let container: Container
  let cookie: string
  let drop: (() => Promise<void>) | undefined

  beforeAll(async () => {
    const made = await setup.env()
    drop = made.drop
    container = await buildContainer(loadConfig(made.env), silentLogger, { passwordIterations: 1000 })
    cookie = await loginCookie(container.app, ADMIN)
  })
  afterAll(async () => {
    await container?.close()
    await drop?.()
  })

  it('starts on the shipped reference; an uploaded SNI_2025_AHSP.xlsx replaces its jobs and makes cached answers stale at once', async () => {
    const dowel = async (res: Response) =>
      ((await res.json()) as { components: { description: string; coefficient: string }[] }).components.find((c) =>
        c.description.startsWith('Dowel'),
      )!.coefficient
    await container.app.request('/ahsp/jobs/7.2.2.2')
    const cached = await container.app.request('/ahsp/jobs/7.2.2.2')
    expect(cached.headers.get('x-cache')).toBe('HIT')
    expect(await dowel(cached)).toBe('38.7836')
    const bytes = readReferenceFile('SNI_2025_AHSP.xlsx')
    const fd = new FormData()
    fd.set('file', new File([bytes], 'SNI_2025_AHSP.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
    const res = await container.app.request('/ahsp/import', { method: 'POST', body: fd, headers: { Cookie: cookie, Origin: 'http://localhost' } })
    expect(res.status).toBe(200)
    const report = await res.json()
    expect(report.jobs.created + report.jobs.updated).toBeGreaterThan(2_000)
    expect(report.errorCount).toBe(0)
    const after = await container.app.request('/ahsp/jobs/7.2.2.2')
    expect(after.headers.get('x-cache')).toBe('MISS')
    // The workbook's own (broken) value, as read: corrections are opt-in.
    expect(await dowel(after)).toBe('387836')
    const search = await container.app.request('/ahsp/search?q=pagar%20sementara')
    expect((await search.json()).total).toBeGreaterThan(0)
  })
})
