import { connect } from 'node:net'

/** Resolves 'refused' or 'connected' (a fresh TCP connection, not a pooled one). */
export function tryConnect(port: number): Promise<'refused' | 'connected'> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port })
    sock.once('connect', () => {
      sock.destroy()
      resolve('connected')
    })
    sock.once('error', () => resolve('refused'))
  })
}
