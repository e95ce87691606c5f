import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_DATABASE_URL } from '../helpers/services.js'
import { startWorkerd, type WorkerdProcess } from '../helpers/workerd.js'

/**
 * What postgres.js does over workerd's TCP sockets against the real PostgreSQL (docs/deployment.md, "workerd"):
 * a client opened and ended within a request works; a client kept across requests (a pool, as on Node) fails
 * on its next request, as workerd binds every socket to the request that opened it.
 */
const ROOT = join(import.meta.dirname, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'workerd-pg-'))
let wd: WorkerdProcess

beforeAll(async () => {
  await promisify(execFile)(join(ROOT, 'node_modules/.bin/esbuild'), [
    join(import.meta.dirname, 'workerd-postgres/worker.ts'), '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker',
    '--main-fields=module,main', '--external:node:*', '--external:cloudflare:*', `--outfile=${join(dir, 'worker.js')}`, '--log-level=warning',
  ])
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "probe", worker = .probe), (name = "internet", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "probe") ],
);
const probe :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2026-11-01",
  bindings = [ (name = "DATABASE_URL", fromEnvironment = "DATABASE_URL") ],
);
`)
  wd = await startWorkerd({ DATABASE_URL: TEST_DATABASE_URL }, { config: join(dir, 'config.capnp') })
}, 60_000)
afterAll(async () => {
  await wd?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('postgres.js on workerd', () => {
  it('a client per request: connects over cloudflare:sockets and runs a parameterised query, request after request', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${wd.url}/fresh`)
      expect(await res.json()).toEqual({ n: 42 })
    }
  })

  it('a client kept across requests: its connection cannot serve the next request', async () => {
    const first = await fetch(`${wd.url}/shared`)
    expect(first.status).toBe(200)
    const second = await fetch(`${wd.url}/shared`)
    expect(second.status).toBe(500)
    expect((await second.json()).error).toMatch(/Cannot perform I\/O on behalf of a different request/)
  })
})
