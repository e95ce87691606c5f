import { afterAll, afterEach, beforeAll } from 'vitest'
import { createCacheFromConfig } from '../../src/composition/cache.js'
import { loadConfig } from '../../src/config.js'
import type { CachePort } from '../../src/ports/cache.js'
import { captureLogger } from './capture-logger.js'
import { createTestSchema, uniqueName } from './services.js'

/**
 * For suites of `createCacheFromConfig`: a fresh PostgreSQL schema (`db().url`), `build(env)` with a unique
 * key prefix and a capturing logger (`logger()` is the last build's), every built cache cleared and closed
 * after each test and the schema dropped after the suite. Unset (`undefined`) env entries are left out.
 */
export function builtCaches(label: string) {
  let db: Awaited<ReturnType<typeof createTestSchema>>
  let logger = captureLogger()
  const opened: CachePort[] = []
  beforeAll(async () => {
    db = await createTestSchema(label)
  })
  afterEach(async () => {
    for (const c of opened.splice(0)) {
      await c.clear().catch(() => {})
      await c.close()
    }
  })
  afterAll(async () => {
    await db.drop()
  })
  return {
    db: () => db,
    logger: () => logger,
    async build(env: Record<string, string | undefined>): Promise<CachePort> {
      logger = captureLogger()
      const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>
      const cache = await createCacheFromConfig(loadConfig({ CACHE_KEY_PREFIX: uniqueName(label), ...defined }), logger)
      opened.push(cache)
      return cache
    },
  }
}
