import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { freePort } from './redis-server.js'

/**
 * A TCP forwarder on a port of its own to a real service (PostgreSQL), which a test opens and closes:
 * closed, the port refuses connections and every forwarded connection is cut, as if the service were down;
 * open, it forwards again. For "down at start, back later" without stopping the machine's service.
 * Silent: connections are accepted but nothing crosses in either direction, and connections already
 * forwarded stop carrying data without being closed (a black-holed network or a hung server); they stay
 * dead after `open()`, as such connections do, so the client has to give up on them.
 */
export interface TcpGate {
  port: number
  open(): Promise<void>
  close(): Promise<void>
  silence(): Promise<void>
  /** Stops listening: new connections are refused, those already forwarded carry on. `open()` listens again. */
  refuse(): void
}

export async function createTcpGate(targetHost: string, targetPort: number): Promise<TcpGate> {
  const port = await freePort()
  const sockets = new Set<Socket>()
  const pairs = new Set<[Socket, Socket]>()
  let server: Server | undefined
  let silent = false
  const track = (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => s.destroy())
  }
  const stall = ([client, upstream]: [Socket, Socket]) => {
    client.unpipe(upstream)
    upstream.unpipe(client)
    client.pause()
    upstream.pause()
  }
  async function listen(): Promise<void> {
    if (server) return
    server = createServer((client) => {
      track(client)
      if (silent) return client.pause()
      const upstream = createConnection({ host: targetHost, port: targetPort })
      track(upstream)
      const pair: [Socket, Socket] = [client, upstream]
      pairs.add(pair)
      client.pipe(upstream).pipe(client)
      client.on('close', () => (upstream.destroy(), pairs.delete(pair)))
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
  }
  return {
    port,
    async open() {
      if (silent) {
        silent = false
        pairs.clear()
      }
      await listen()
    },
    async silence() {
      silent = true
      for (const pair of pairs) stall(pair)
      await listen()
    },
    refuse() {
      server?.close()
      server = undefined
    },
    async close() {
      silent = false
      pairs.clear()
      if (!server) return
      const s = server
      server = undefined
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
  }
}

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379, 'rediss:': 6379 }

/** An open gate in front of the service at `url`, and `url` itself pointed at the gate. */
export async function openGateTo(url: string): Promise<{ gate: TcpGate; url: string }> {
  const target = new URL(url)
  const gate = await createTcpGate(target.hostname, Number(target.port || DEFAULT_PORTS[target.protocol]))
  await gate.open()
  target.hostname = '127.0.0.1'
  target.port = String(gate.port)
  return { gate, url: target.toString() }
}
