import { configFromEnvOrExit } from './adapters/process/config-from-env.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildContainer } from './composition/index.js'
import { installGracefulShutdown, type Drainable } from './adapters/process/graceful-shutdown.js'
import { createMetricsApp } from './http/metrics-app.js'

// Bun entry point: `bun src/main.bun.ts` (or `npm run start:bun`).
interface BunServe {
  /** Resolves once every connection has closed; `true` cuts active ones. */
  stop(closeActiveConnections?: boolean): Promise<void>
  port: number
}
declare const Bun: {
  serve(opts: {
    fetch: (req: Request, server: unknown) => Response | Promise<Response>
    hostname: string
    port: number
    idleTimeout?: number
  }): BunServe
}

const config = configFromEnvOrExit()
const logger = createJsonLogger({ level: config.logLevel })
// Bun hands its server to fetch as the second argument, so it is `c.env` inside the app.
type BunServer = { requestIP?(req: Request): { address: string } | null }
const container = await buildContainer(config, logger, {
  getPeerAddress: (c) => (c.env as BunServer | undefined)?.requestIP?.(c.req.raw)?.address,
})
// Bun closes a connection after `idleTimeout` seconds without traffic — 10 by default, which would cut any
// request whose handler takes longer (a large import). 120 s (Bun allows at most 255) bounds a silent client.
const IDLE_TIMEOUT_S = 120
const server = Bun.serve({ fetch: container.app.fetch, hostname: config.host, port: config.port, idleTimeout: IDLE_TIMEOUT_S })
logger.info('listening', { host: config.host, port: server.port, runtime: 'bun', cache: container.cache.name })

const drainable = (name: string, s: BunServe): Drainable => ({
  name,
  // stop() refuses new connections at once and resolves when in-flight requests have been answered.
  drain: () => s.stop(false),
  force: () => void s.stop(true),
})
const servers = [drainable('http', server)]
if (config.metricsPort > 0) {
  const metricsApp = createMetricsApp(container.metrics, container.status)
  const metricsServer = Bun.serve({ fetch: metricsApp.fetch, hostname: config.host, port: config.metricsPort })
  logger.info('metrics listening', { host: config.host, port: metricsServer.port })
  servers.push(drainable('metrics', metricsServer))
}
installGracefulShutdown({ logger, servers, timeoutMs: config.shutdownTimeoutMs, close: () => container.close() })
