import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/**
 * The servers the Redis suites run against: Redis, and Valkey (Debian bookworm-backports' `valkey-server`,
 * installed by .ci/run), which must pass them with no code change.
 */
export const SERVERS = ['redis-server', 'valkey-server'] as const
export type ServerBinary = (typeof SERVERS)[number]

/** `redis-cli` or `valkey-cli`: the client shipped beside each server. */
export function cliFor(server: ServerBinary): string {
  return server.replace(/-server$/, '-cli')
}

export interface OwnRedis {
  url: string
  port: number
  /** Kill the server (SIGKILL: no graceful goodbye, like a crash). */
  kill(): Promise<void>
  /** Start it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>
  /** Kill it for good. */
  stop(): Promise<void>
}

/**
 * Spawns a server and resolves once its stdout shows `ready` (bounded by 5 s); rejects if it exits first.
 * The stdout is read whole, so a line split across chunks is still seen.
 */
export function spawnUntilReady(cmd: string, args: string[], ready: string, label = cmd): Promise<ChildProcess> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${label} did not start in 5 s: ${out.slice(-500)}`)), 5000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes(ready)) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited with ${code}: ${out.slice(-500)}`))
    })
  })
}

/** SIGKILL (no graceful goodbye, like a crash) and wait for the exit; nothing to do if it is gone. */
export function killProcess(c: ChildProcess | undefined): Promise<void> {
  // A process killed by a signal has `exitCode` null and `signalCode` set: both mean it is gone.
  if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    c.once('exit', () => resolve())
    c.kill('SIGKILL')
  })
}

/**
 * A Redis (or Valkey) server this test owns, on its own port, so failure tests can kill and restart it
 * without touching the shared 127.0.0.1:6379. `tlsOnly`: the port is a TLS port and plain TCP is off
 * (`--port 0`); the caller passes the certificate arguments.
 */
export async function startOwnRedis(extraArgs: string[] = [], server: ServerBinary = 'redis-server', options: { tlsOnly?: boolean } = {}): Promise<OwnRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const listen = options.tlsOnly ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs]
  const start = async () => {
    child = await spawnUntilReady(server, args, 'Ready to accept connections')
  }
  const kill = () => killProcess(child)
  await start()
  return { url: `${options.tlsOnly ? 'rediss' : 'redis'}://127.0.0.1:${port}`, port, kill, start, stop: kill }
}
