import { connect } from 'node:net'

export interface UploadResult {
  status: number | undefined
  /** Body bytes the client managed to write before the answer (or the connection's end). */
  written: number
  ms: number
}

/**
 * POSTs up to `totalBytes` of `a`s to `url` in 64 KB chunks over a raw socket, chunked unless `declareLength`,
 * and stops writing as soon as the server answers or closes. Raw, because a server that answers early and
 * then closes the connection can make node's http client report the reset instead of the answer it got.
 */
export function upload(url: string, totalBytes: number, options: { declareLength?: boolean; headers?: Record<string, string> } = {}): Promise<UploadResult> {
  const { hostname, port, pathname } = new URL(url)
  const chunk = Buffer.alloc(64 * 1024, 0x61)
  const started = performance.now()
  const headers: Record<string, string> = { host: `${hostname}:${port}`, 'content-type': 'application/json', ...options.headers }
  if (options.declareLength) headers['content-length'] = String(totalBytes)
  else headers['transfer-encoding'] = 'chunked'
  const head = `POST ${pathname} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  return new Promise((resolve) => {
    let written = 0
    let answer = ''
    let done = false
    const status = () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer)
      return m ? Number(m[1]) : undefined
    }
    const finish = () => {
      if (done) return
      done = true
      socket.destroy()
      resolve({ status: status(), written, ms: performance.now() - started })
    }
    const socket = connect(Number(port), hostname, () => {
      socket.write(head)
      pump()
    })
    const pump = () => {
      while (!done && status() === undefined && written < totalBytes && !socket.destroyed) {
        const n = Math.min(chunk.length, totalBytes - written)
        written += n
        const data = n === chunk.length ? chunk : chunk.subarray(0, n)
        const ok = options.declareLength ? socket.write(data) : socket.write(`${n.toString(16)}\r\n`) && socket.write(data) && socket.write('\r\n')
        if (!ok) return void socket.once('drain', pump)
      }
      if (!done && written >= totalBytes && !options.declareLength) socket.write('0\r\n\r\n')
    }
    socket.on('data', (d) => {
      answer += d.toString('latin1')
      if (status() !== undefined) finish()
    })
    socket.on('error', finish)
    socket.on('close', finish)
  })
}

/**
 * Opens a connection and sends `head` one byte every `everyMs` (slowloris); resolves with how long the server
 * let it live and the first bytes it answered, if any.
 */
export function trickleHeaders(port: number, head: string, everyMs: number, giveUpMs: number): Promise<{ closedAfterMs: number | undefined; answer: string }> {
  return new Promise((resolve) => {
    const started = performance.now()
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    let i = 0
    const timer = setInterval(() => {
      if (i < head.length && !socket.destroyed) socket.write(head[i++]!)
    }, everyMs)
    const end = (closedAfterMs: number | undefined) => {
      clearInterval(timer)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ closedAfterMs, answer })
    }
    const giveUp = setTimeout(() => end(undefined), giveUpMs)
    socket.on('data', (d) => (answer += d.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => end(performance.now() - started))
  })
}

/** Sends one keep-alive request and resolves with how long the server kept the connection open after answering. */
export function idleAfterAnswer(port: number, head: string, giveUpMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head))
    let answeredAt: number | undefined
    const giveUp = setTimeout(() => {
      socket.destroy()
      resolve(undefined)
    }, giveUpMs)
    socket.on('data', () => (answeredAt ??= performance.now()))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(giveUp)
      resolve(answeredAt === undefined ? undefined : performance.now() - answeredAt)
    })
  })
}
