import { serve } from '@hono/node-server'
import { ConfigError, loadConfig } from './config.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildContainer } from './composition/index.js'

/** Node entry point: `npm start`. */
async function main() {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n')
      process.exit(1)
    }
    throw err
  }
  const logger = createJsonLogger({ level: config.logLevel })
  const container = await buildContainer(config, logger)
  const server = serve({ fetch: container.app.fetch, hostname: config.host, port: config.port }, (info) => {
    logger.info('listening', { host: info.address, port: info.port, runtime: 'node', cache: container.cache.name })
  })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    server.close(async () => {
      await container.close()
      process.exit(0)
    })
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((err) => {
  process.stderr.write(`start-up failed: ${(err as Error).message}\n`)
  process.exit(1)
})
