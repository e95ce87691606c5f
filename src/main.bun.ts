import { configFromEnvOrExit } from './adapters/process/config-from-env.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildContainer } from './composition/index.js'
import { installGracefulShutdown, type Drainable } from './adapters/process/graceful-shutdown.js'
import { exitOnStartupFailure } from './adapters/process/startup-failure.js'
import { createMetricsApp } from './http/metrics-app.js'
import { BUN_HANDLER_TIMEOUT_S, BUN_IDLE_TIMEOUT_S } from './adapters/process/server-timeouts.js'

// Bun entry point: `bun src/main.bun.ts` (or `npm run start:bun`).
interface BunServe {
  /** Resolves once every connection has closed; `true` cuts active ones. */
  stop(closeActiveConnections?: boolean): Promise<void>
  port: number
  /** This request's connection may stay silent `seconds` from now on. */
  timeout(req: Request, seconds: number): void
}
declare const Bun: {
  serve(opts: {
    fetch: (req: Request, server: BunServe) => Response | Promise<Response>
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
}).catch(exitOnStartupFailure)
// Bun's one connection timeout is `idleTimeout`: short, it cuts a client slow to send its request head and idle
// keep-alive connections; once the head is in, the handler gets longer (a large import), then the short one again.
const fetchWithTimeouts = async (req: Request, server: BunServe) => {
  server.timeout(req, BUN_HANDLER_TIMEOUT_S)
  const res = await container.app.fetch(req, server)
  server.timeout(req, BUN_IDLE_TIMEOUT_S)
  return res
}
/** Bun.serve binds synchronously: a taken port throws here, and ends the start-up in one line. */
function listen(name: string, fetch: (req: Request, server: BunServe) => Response | Promise<Response>, port: number): BunServe {
  try {
    return Bun.serve({ fetch, hostname: config.host, port, idleTimeout: BUN_IDLE_TIMEOUT_S })
  } catch (err) {
    return exitOnStartupFailure(new Error(`${name} listener on ${config.host}:${port}: ${(err as Error).message}`))
  }
}
const server = listen('http', fetchWithTimeouts, config.port)
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
  const metricsServer = listen('metrics', metricsApp.fetch, config.metricsPort)
  logger.info('metrics listening', { host: config.host, port: metricsServer.port })
  servers.push(drainable('metrics', metricsServer))
}
installGracefulShutdown({ logger, servers, timeoutMs: config.shutdownTimeoutMs, close: () => container.close() })
