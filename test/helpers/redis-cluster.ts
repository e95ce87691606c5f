import { execFile, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { cliFor, freePort, killProcess, spawnUntilReady, type ServerBinary } from './redis-server.js'

const run = promisify(execFile)

export interface OwnRedisCluster {
  /** Client ports of the masters, all on 127.0.0.1. */
  ports: number[]
  /** `redis://127.0.0.1:<first port>?cluster=true`. */
  url: string
  /** Kill every node and remove the temp dir. */
  stop(): Promise<void>
}

function startNode(server: ServerBinary, port: number, busPort: number, dir: string): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true })
  // A bus port of its own: the default (port + 10000) might be taken or out of range.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPort)]
  args.push('--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--dir', dir, '--save', '', '--appendonly', 'no')
  return spawnUntilReady(server, args, 'Ready to accept connections', `cluster node ${port}`)
}

async function clusterOk(cli: string, port: number): Promise<boolean> {
  const { stdout } = await run(cli, ['-p', String(port), 'cluster', 'info'])
  return stdout.includes('cluster_state:ok')
}

/**
 * A real Redis (or Valkey) Cluster of `masters` masters (no replicas) on free loopback ports, in a temp dir:
 * `redis-server --cluster-enabled yes` per node, `redis-cli --cluster create`, then wait for
 * `cluster_state:ok` on every node.
 */
export async function startOwnRedisCluster(masters = 3, server: ServerBinary = 'redis-server'): Promise<OwnRedisCluster> {
  const cli = cliFor(server)
  const dir = mkdtempSync(join(tmpdir(), 'ahsp-cluster-'))
  const children: ChildProcess[] = []
  const stop = async () => {
    await Promise.all(children.map(killProcess))
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const ports: number[] = []
    for (let i = 0; i < masters; i++) {
      const port = await freePort()
      const bus = await freePort()
      ports.push(port)
      children.push(await startNode(server, port, bus, join(dir, String(port))))
    }
    const nodes = ports.map((p) => `127.0.0.1:${p}`)
    await run(cli, ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 20_000 })
    const deadline = Date.now() + 15_000
    while (!(await Promise.all(ports.map((p) => clusterOk(cli, p)))).every(Boolean)) {
      if (Date.now() > deadline) throw new Error('Redis Cluster did not reach cluster_state:ok in 15 s')
      await new Promise((r) => setTimeout(r, 100))
    }
    return { ports, url: `redis://127.0.0.1:${ports[0]}?cluster=true`, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
