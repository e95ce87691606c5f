import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { freePort } from './redis-server.js'

/**
 * A TCP forwarder on a port of its own to a real service (PostgreSQL), which a test opens and closes:
 * closed, the port refuses connections and every forwarded connection is cut, as if the service were down;
 * open, it forwards again. For "down at start, back later" without stopping the machine's service.
 */
export interface TcpGate {
  port: number
  open(): Promise<void>
  close(): Promise<void>
}

export async function createTcpGate(targetHost: string, targetPort: number): Promise<TcpGate> {
  const port = await freePort()
  const sockets = new Set<Socket>()
  let server: Server | undefined
  const track = (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => s.destroy())
  }
  return {
    port,
    async open() {
      if (server) return
      server = createServer((client) => {
        const upstream = createConnection({ host: targetHost, port: targetPort })
        track(client)
        track(upstream)
        client.pipe(upstream).pipe(client)
        client.on('close', () => upstream.destroy())
        upstream.on('close', () => client.destroy())
      })
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
    },
    async close() {
      if (!server) return
      const s = server
      server = undefined
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
  }
}
