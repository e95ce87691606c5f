import { configFromEnvOrExit } from './adapters/process/config-from-env.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildContainer } from './composition/index.js'
import { installGracefulShutdown, type Drainable } from './adapters/process/graceful-shutdown.js'
import { exitOnStartupFailure } from './adapters/process/startup-failure.js'
import { createMetricsApp } from './http/metrics-app.js'

// Deno entry point: `npm run start:deno` (Deno from the pinned `deno` devDependency). Deno runs the same
// node_modules and `node:` modules; only the listener is Deno's own.
interface DenoServeInfo {
  remoteAddr: { hostname: string }
}
interface DenoServer {
  /** Stops accepting; resolves once in-flight requests have been answered. */
  shutdown(): Promise<void>
  finished: Promise<void>
  addr: { port: number }
}
declare const Deno: {
  serve(
    opts: { hostname: string; port: number; onListen?: (addr: { port: number }) => void },
    handler: (req: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): DenoServer
  version: { deno: string }
}

const config = configFromEnvOrExit()
const logger = createJsonLogger({ level: config.logLevel })
// The handler's second argument (the connection info) is `c.env` inside the app.
const container = await buildContainer(config, logger, {
  getPeerAddress: (c) => (c.env as DenoServeInfo | undefined)?.remoteAddr?.hostname,
}).catch(exitOnStartupFailure)

/** Deno.serve binds synchronously (a taken port throws here); `onListen` replaces Deno's own banner. */
function listen(name: string, fetch: (req: Request, info: DenoServeInfo) => Response | Promise<Response>, port: number): DenoServer {
  try {
    return Deno.serve({ hostname: config.host, port, onListen: () => {} }, fetch)
  } catch (err) {
    return exitOnStartupFailure(new Error(`${name} listener on ${config.host}:${port}: ${(err as Error).message}`))
  }
}

const drainable = (name: string, s: DenoServer): Drainable => ({
  name,
  drain: () => s.shutdown(),
  // Deno.serve has no "cut the connections" call; the process exit that follows the timeout does it.
  force: () => {},
})

const server = listen('http', container.app.fetch, config.port)
logger.info('listening', { host: config.host, port: server.addr.port, runtime: 'deno', cache: container.cache.name })
const servers = [drainable('http', server)]
if (config.metricsPort > 0) {
  const metricsApp = createMetricsApp(container.metrics, container.status)
  const metricsServer = listen('metrics', metricsApp.fetch, config.metricsPort)
  logger.info('metrics listening', { host: config.host, port: metricsServer.addr.port })
  servers.push(drainable('metrics', metricsServer))
}
installGracefulShutdown({ logger, servers, timeoutMs: config.shutdownTimeoutMs, close: () => container.close() })
