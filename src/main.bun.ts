import { ConfigError, loadConfig } from './config.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildContainer } from './composition/index.js'

/** Bun entry point: `bun src/main.bun.ts`. */
declare const Bun: { serve(opts: { fetch: (req: Request) => Response | Promise<Response>; hostname: string; port: number }): { stop(force?: boolean): Promise<void>; port: number } }

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
const server = Bun.serve({ fetch: container.app.fetch, hostname: config.host, port: config.port })
logger.info('listening', { host: config.host, port: server.port, runtime: 'bun', cache: container.cache.name })

let stopping = false
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  logger.info('shutting down', { signal })
  await server.stop()
  await container.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
