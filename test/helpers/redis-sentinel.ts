import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { freePort, killProcess, spawnUntilReady, startOwnRedis, type OwnRedis, type ServerBinary } from './redis-server.js'
import { tlsServerArgs, type TestCertificates } from './tls-redis.js'

export interface OwnSentinelGroup {
  name: string
  password: string
  /** The two data servers: `servers[0]` starts as the master, `servers[1]` as its replica. */
  servers: OwnRedis[]
  sentinelPorts: number[]
  /** `REDIS_SENTINELS`: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  sentinelList: string
  /** The master's port as the first Sentinel reports it now. */
  masterPort(): Promise<number>
  /** A client of one Sentinel (closed by `stop`). */
  sentinel(i?: number): Redis
  /** A client of the data server on `port` (closed by `stop`). */
  data(port: number, db?: number): Redis
  /** Resolves once every Sentinel knows the replica on `port` as a healthy replica of the current master. */
  replicaKnown(port: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

const NAME = 'mymaster'

async function until(what: string, timeoutMs: number, cond: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * A real Sentinel deployment on free loopback ports: a password-protected master, one replica, and three
 * `redis-server --sentinel` (quorum 2) with short timers (down after 1 s, failover timeout 3 s, INFO every
 * second), so a failover takes seconds. Resolves once every Sentinel knows the replica and the other Sentinels.
 */
export async function startSentinelGroup(server: ServerBinary = 'redis-server', options: { tls?: TestCertificates } = {}): Promise<OwnSentinelGroup> {
  const { tls } = options
  const dir = mkdtempSync(join(tmpdir(), 'ahsp-sentinel-'))
  const password = 'sentinel-test-pw'
  // A full sync starts at once (not after the default 5 s wait for more replicas), and any RDB file it
  // writes goes to the temp dir, not the working directory.
  const auth = ['--requirepass', password, '--masterauth', password, '--dir', dir, '--repl-diskless-sync-delay', '0']
  // TLS: every connection is TLS-only — clients, replication, Sentinels to servers and to each other.
  const tlsArgs = tls ? [...tlsServerArgs(tls, false), '--tls-replication', 'yes'] : []
  // The same settings as config file lines (`--name value` → `name value`).
  const tlsConf = tlsArgs.flatMap((arg, i) => (i % 2 ? [] : [`${arg.slice(2)} ${tlsArgs[i + 1]}`]))
  const clientTls = tls ? { tls: { ca: readFileSync(tls.ca) } } : {}
  const servers: OwnRedis[] = []
  const children: ChildProcess[] = []
  const clients: Redis[] = []
  const stop = async () => {
    for (const c of clients.splice(0)) c.disconnect()
    await Promise.all(children.map(killProcess))
    await Promise.all(servers.map((s) => s.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const dataArgs = [...tlsArgs, ...auth]
    servers.push(await startOwnRedis(dataArgs, server, { tlsOnly: Boolean(tls) }))
    servers.push(await startOwnRedis([...dataArgs, '--replicaof', '127.0.0.1', String(servers[0]!.port)], server, { tlsOnly: Boolean(tls) }))
    const sentinelPorts: number[] = []
    for (let i = 0; i < 3; i++) {
      const port = await freePort()
      const conf = join(dir, `sentinel-${port}.conf`)
      writeFileSync(
        conf,
        [
          ...(tls ? ['port 0', `tls-port ${port}`, ...tlsConf] : [`port ${port}`]),
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${NAME} 127.0.0.1 ${servers[0]!.port} 2`,
          `sentinel auth-pass ${NAME} ${password}`,
          `sentinel down-after-milliseconds ${NAME} 1000`,
          `sentinel failover-timeout ${NAME} 3000`,
          `sentinel parallel-syncs ${NAME} 1`,
          '',
        ].join('\n'),
      )
      children.push(await spawnUntilReady(server, [conf, '--sentinel'], '+monitor master', `sentinel ${port}`))
      sentinelPorts.push(port)
    }
    const sentinel = (i = 0) => {
      const c = new Redis({ port: sentinelPorts[i]!, host: '127.0.0.1', maxRetriesPerRequest: 1, ...clientTls })
      clients.push(c)
      return c
    }
    const admins = sentinelPorts.map((_, i) => sentinel(i))
    // Sentinel's own clocks (Redis 7's SENTINEL DEBUG), shortened like down-after: INFO every second instead
    // of every 10 s (a replica's state is seen at once), hello messages every 0.5 s instead of 2 s.
    await Promise.all(admins.map((a) => a.call('SENTINEL', 'DEBUG', 'info-period', '1000', 'publish-period', '500')))
    const masterPort = async () => Number(((await admins[0]!.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)) as string[])[1])
    const replicaKnown = (port: number, timeoutMs = 15_000) =>
      until(`every Sentinel sees 127.0.0.1:${port} as a healthy replica`, timeoutMs, async () => {
        for (const admin of admins) {
          const replicas = (await admin.call('SENTINEL', 'REPLICAS', NAME)) as string[][]
          const ok = replicas.some((flat) => {
            const r = Object.fromEntries(flat.flatMap((v, i) => (i % 2 ? [] : [[v, flat[i + 1]]])))
            return r.port === String(port) && r.flags === 'slave' && r['master-link-status'] === 'ok'
          })
          if (!ok) return false
        }
        return true
      })
    await replicaKnown(servers[1]!.port)
    await until('every Sentinel knows the other two', 15_000, async () => {
      for (const admin of admins) if (((await admin.call('SENTINEL', 'SENTINELS', NAME)) as unknown[]).length < 2) return false
      return true
    })
    return {
      name: NAME,
      password,
      servers,
      sentinelPorts,
      sentinelList: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
      masterPort,
      sentinel,
      data(port, db = 0) {
        const c = new Redis({ port, host: '127.0.0.1', password, db, maxRetriesPerRequest: 1, ...clientTls })
        clients.push(c)
        return c
      },
      replicaKnown,
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
