import { execFileSync, spawnSync } from 'node:child_process'
import { connect } from 'node:net'

export interface LoadResult {
  requests: number
  /** Answers that were not the expected status. */
  errors: number
  reqPerSec: number
  /** Latency percentiles, ms (NaN from wrk when not parsed). */
  p50: number
  p99: number
  tool: 'wrk' | 'node'
}

export interface LoadOptions {
  url: string
  headers?: Record<string, string>
  /** Headers of connection `i` on top of `headers` (e.g. one client address each); needs the Node client. */
  connectionHeaders?: (i: number) => Record<string, string>
  connections: number
  durationMs: number
  expectStatus?: number
}

/** `wrk` when installed (a C load generator that needs little CPU), else the keep-alive Node client below. */
export function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  return hasWrk() && !o.connectionHeaders ? loadWithWrk(o) : loadWithNode(o)
}

function loadWithWrk(o: LoadOptions): LoadResult {
  const args = ['-t2', `-c${o.connections}`, `-d${Math.max(1, Math.round(o.durationMs / 1000))}s`, '--latency']
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}: ${v}`)
  const out = execFileSync('wrk', [...args, o.url], { encoding: 'utf8' })
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN)
  const ms = (re: RegExp) => {
    const m = re.exec(out)
    if (!m) return NaN
    const n = Number(m[1])
    return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n
  }
  const requests = num(/(\d+) requests in/)
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/)
  return {
    requests,
    errors: Number.isNaN(non2xx) ? 0 : non2xx,
    reqPerSec: num(/Requests\/sec:\s+([\d.]+)/),
    p50: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99: ms(/99%\s+([\d.]+)(us|ms|s)/),
    tool: 'wrk',
  }
}

const HEAD_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = ['\r\ncontent-length:', '\r\nContent-Length:', '\r\nCONTENT-LENGTH:'].map((s) => Buffer.from(s))

/**
 * The Content-Length of the head ending at `end`, read from the bytes (no string copy, no regex: the load
 * generator shares the CPU with the server, so its per-response work is kept small). 0 when absent.
 */
function contentLength(buffer: Buffer, end: number): number {
  for (const name of CONTENT_LENGTH) {
    const at = buffer.indexOf(name)
    if (at < 0 || at > end) continue
    let i = at + name.length
    while (buffer[i] === 0x20) i++
    let n = 0
    for (; buffer[i]! >= 0x30 && buffer[i]! <= 0x39; i++) n = n * 10 + buffer[i]! - 0x30
    return n
  }
  return 0
}

/** `HTTP/1.1 200 …`: the three status digits. */
const statusOf = (b: Buffer) => (b[9]! - 0x30) * 100 + (b[10]! - 0x30) * 10 + (b[11]! - 0x30)

/**
 * `connections` keep-alive sockets, each sending one GET at a time for `durationMs`. Raw HTTP/1.1 over
 * `node:net` rather than `node:http`: the load generator shares the machine with the server, so the less
 * CPU it needs per request, the more the numbers measure the server. Answers must carry Content-Length
 * (every route benchmarked here does).
 */
async function loadWithNode(o: LoadOptions): Promise<LoadResult> {
  const target = new URL(o.url)
  const port = Number(target.port || 80)
  const head = [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Connection: keep-alive']
  for (const [k, v] of Object.entries(o.headers ?? {})) head.push(`${k}: ${v}`)
  const requestOf = (i: number) => {
    const own = Object.entries(o.connectionHeaders?.(i) ?? {}).map(([k, v]) => `${k}: ${v}`)
    return Buffer.from([...head, ...own].join('\r\n') + '\r\n\r\n')
  }
  const expected = o.expectStatus ?? 200
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const deadline = started + o.durationMs

  const connection = (i: number) =>
    new Promise<void>((resolve) => {
      const request = requestOf(i)
      const socket = connect({ host: target.hostname, port, noDelay: true })
      let buffer: Buffer = Buffer.alloc(0)
      let sentAt = 0
      const send = () => {
        if (performance.now() >= deadline) {
          socket.end()
          return resolve()
        }
        sentAt = performance.now()
        socket.write(request)
      }
      socket.on('connect', send)
      socket.on('error', () => {
        errors++
        resolve()
      })
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk
        for (;;) {
          const end = buffer.indexOf(HEAD_END)
          if (end < 0) return
          const length = contentLength(buffer, end)
          if (buffer.length < end + 4 + length) return
          if (statusOf(buffer) !== expected) errors++
          latencies.push(performance.now() - sentAt)
          buffer = buffer.subarray(end + 4 + length)
          send()
        }
      })
    })

  await Promise.all(Array.from({ length: o.connections }, (_, i) => connection(i)))
  const elapsed = performance.now() - started
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN
  return { requests: latencies.length, errors, reqPerSec: (latencies.length / elapsed) * 1000, p50: pct(50), p99: pct(99), tool: 'node' }
}
