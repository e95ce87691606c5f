import { execFileSync, spawnSync } from 'node:child_process'
import { Agent, request } from 'node:http'

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
  connections: number
  durationMs: number
  expectStatus?: number
}

/** `wrk` when installed (a C load generator that needs little CPU), else the keep-alive Node client below. */
export function hasWrk(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  return hasWrk() ? loadWithWrk(o) : loadWithNode(o)
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

/** `connections` loops, each on its own keep-alive socket, for `durationMs`. */
async function loadWithNode(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections })
  const target = new URL(o.url)
  const latencies: number[] = []
  let errors = 0
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now()
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, headers: o.headers },
        (res) => {
          res.on('data', () => {})
          res.on('end', () => {
            if (res.statusCode !== (o.expectStatus ?? 200)) errors++
            latencies.push(performance.now() - started)
            resolve()
          })
        },
      )
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end()
    })
  const started = performance.now()
  const deadline = started + o.durationMs
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      while (performance.now() < deadline) await one()
    }),
  )
  const elapsed = performance.now() - started
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN
  return { requests: latencies.length, errors, reqPerSec: (latencies.length / elapsed) * 1000, p50: pct(50), p99: pct(99), tool: 'node' }
}
