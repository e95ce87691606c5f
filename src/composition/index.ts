import type { Config } from '../config.js'
import type { Logger } from '../ports/logger.js'
import type { CachePort } from '../ports/cache.js'
import { createApp, type AppType } from '../http/app.js'
import type { ReadinessCheck } from '../http/routes/ops.js'
import { createCacheFromConfig } from './cache.js'

export interface Container {
  app: AppType
  cache: CachePort
  logger: Logger
  /** Close every connection and timer this container opened. Idempotent. */
  close(): Promise<void>
}

/** The composition root: the only place adapters meet use cases. */
export async function buildContainer(config: Config, logger: Logger): Promise<Container> {
  const closers: (() => Promise<void>)[] = []
  const readiness: ReadinessCheck[] = []

  const cache = await createCacheFromConfig(config, logger)
  closers.push(() => cache.close())

  const app = createApp({ config, logger, cache, readiness })

  let closed: Promise<void> | undefined
  return {
    app,
    cache,
    logger,
    close() {
      closed ??= (async () => {
        for (const close of closers.reverse()) {
          try {
            await close()
          } catch (err) {
            logger.warn('error while closing', { err: (err as Error).message })
          }
        }
      })()
      return closed
    },
  }
}
