import type { Logger } from '../../ports/logger.js'

/** A listener as the shutdown sees it, whatever the runtime. */
export interface Drainable {
  name: string
  /** Stop accepting; resolve once every in-flight request has been answered. */
  drain(): Promise<void>
  /** Cut whatever connections are still open. */
  force(): void
}

export interface GracefulShutdownOptions {
  logger: Logger
  servers: Drainable[]
  /** Bound on the drain, ms (`SHUTDOWN_TIMEOUT_MS`). */
  timeoutMs: number
  /** Close Redis, PostgreSQL and timers: `container.close()`. */
  close(): Promise<void>
  /** Default `process.exit`. */
  exit?: (code: number) => void
  signals?: readonly NodeJS.Signals[]
}

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (at most `timeoutMs`, then cut them),
 * close the container, exit 0. A second signal while draining exits 1 at once, for an operator who
 * does not want to wait.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): { shutdown(signal: string): Promise<void> } {
  const { logger, servers, timeoutMs } = options
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let running: Promise<void> | undefined

  const shutdown = (signal: string): Promise<void> => {
    if (running) {
      logger.warn('second signal: exiting without waiting', { signal })
      exit(1)
      return running
    }
    running = (async () => {
      const started = Date.now()
      logger.info('shutting down', { signal, timeoutMs })
      let timer: ReturnType<typeof setTimeout> | undefined
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs)
      })
      const drained = Promise.all(servers.map((s) => s.drain())).then(() => 'drained' as const)
      const outcome = await Promise.race([drained, timedOut])
      clearTimeout(timer)
      if (outcome === 'timeout') {
        logger.warn('in-flight requests still open after the shutdown timeout; closing their connections', { timeoutMs })
        for (const s of servers) s.force()
      }
      try {
        await options.close()
      } catch (err) {
        logger.error('error while closing dependencies', { err: (err as Error).message })
      }
      logger.info('stopped', { ms: Date.now() - started })
      exit(0)
    })()
    return running
  }

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, () => void shutdown(signal))
  return { shutdown }
}
