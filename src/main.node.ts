import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { configFromEnvOrExit } from './adapters/process/config-from-env.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildContainer } from './composition/index.js'
import { installGracefulShutdown, type Drainable } from './adapters/process/graceful-shutdown.js'
import { exitOnStartupFailure } from './adapters/process/startup-failure.js'
import { createMetricsApp } from './http/metrics-app.js'
import type { Server, ServerOptions } from 'node:http'
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS, TIMEOUT_CHECK_INTERVAL_MS } from './adapters/process/server-timeouts.js'

const serverOptions: ServerOptions = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
}

/** Node entry point: `npm start`. */
async function main() {
  const config = configFromEnvOrExit()
  const logger = createJsonLogger({ level: config.logLevel })
  const container = await buildContainer(config, logger, { getPeerAddress: (c) => getConnInfo(c).remote.address })
  const server = serve({ fetch: container.app.fetch, hostname: config.host, port: config.port, serverOptions }, (info) => {
    logger.info('listening', { host: info.address, port: info.port, runtime: 'node', cache: container.cache.name })
  }) as Server
  exitOnListenError('http', server, config.host, config.port)
  const servers = [drainable('http', server)]
  if (config.metricsPort > 0) {
    const metricsApp = createMetricsApp(container.metrics, container.status)
    const metricsServer = serve({ fetch: metricsApp.fetch, hostname: config.host, port: config.metricsPort, serverOptions }, (info) => {
      logger.info('metrics listening', { host: info.address, port: info.port })
    }) as Server
    exitOnListenError('metrics', metricsServer, config.host, config.metricsPort)
    servers.push(drainable('metrics', metricsServer))
  }
  installGracefulShutdown({ logger, servers, timeoutMs: config.shutdownTimeoutMs, close: () => container.close() })
}

/** A listener that cannot bind (a port taken, an address not here) ends the start-up in one line, not a stack. */
function exitOnListenError(name: string, server: Server, host: string, port: number): void {
  const onError = (err: Error) => exitOnStartupFailure(new Error(`${name} listener on ${host}:${port}: ${err.message}`))
  server.once('error', onError)
  server.once('listening', () => server.off('error', onError))
}

/**
 * `close()` stops accepting at once; keep-alive sockets that go idle after their last response are
 * closed as they do, so the drain ends when the last in-flight request is answered.
 */
function drainable(name: string, server: Server): Drainable {
  return {
    name,
    drain: () =>
      new Promise<void>((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 50)
        server.close(() => {
          clearInterval(sweep)
          resolve()
        })
        server.closeIdleConnections()
      }),
    force: () => server.closeAllConnections(),
  }
}

main().catch(exitOnStartupFailure)
