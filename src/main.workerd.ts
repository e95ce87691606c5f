import jobs from '../data/ahsp/ahsp_jobs.tsv.gz'
import components from '../data/ahsp/ahsp_components.tsv.gz'
import { env as bindings } from 'cloudflare:workers'
import { loadConfig, type Config } from './config.js'
import { createJsonLogger } from './adapters/log/json-logger.js'
import { buildEmbeddedContainer } from './composition/embedded.js'
import type { Container } from './composition/container.js'

/**
 * workerd (Cloudflare Workers) entry point: `npm run build:workerd`, then `npm run start:workerd`
 * (deploy/workerd/config.capnp). The embedded default only — memory cache and stores, the shipped reference
 * bundled as bytes. The environment is the worker's bindings (strings; unset `fromEnvironment` ones are null).
 * The settings are checked when workerd loads the worker; the app is built on the first request, as workerd
 * forbids random numbers (the admin's salt) and timers at global scope.
 */
const RUNTIME = { name: 'workerd', version: (globalThis.navigator as { userAgent?: string } | undefined)?.userAgent ?? '' }

/** A start-up failure is one line on stderr, once; every request then answers 503 with the same reason (no process to end). */
function failed(err: unknown): Error {
  const reason = new Error(`start-up failed: ${(err as Error).message}`)
  console.error(reason.message)
  return reason
}

let config: Config | Error
try {
  const env = Object.fromEntries(Object.entries(bindings).filter((e): e is [string, string] => typeof e[1] === 'string'))
  config = loadConfig(env)
} catch (err) {
  config = failed(err)
}

let container: Promise<Container> | undefined

async function start(config: Config): Promise<Container> {
  const logger = createJsonLogger({ level: config.logLevel, write: (line) => console.log(line) })
  const built = await buildEmbeddedContainer(config, logger, { reference: { jobs, components }, runtime: RUNTIME }).catch((err) => {
    throw failed(err)
  })
  logger.info('listening', { runtime: 'workerd', cache: built.cache.name })
  return built
}

export default {
  async fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> {
    let app: Container['app']
    try {
      if (config instanceof Error) throw config
      container ??= start(config)
      app = (await container).app
    } catch (err) {
      const body = { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: (err as Error).message }
      return Response.json(body, { status: 503, headers: { 'Content-Type': 'application/problem+json' } })
    }
    return app.fetch(request, env, ctx as never)
  },
}
