import type { Config } from '../config.js'

export type ServerStats = { ok: true; source: string; stats: Record<string, unknown> } | { ok: false; reason: string }

const TIMEOUT_MS = 3_000

/** The address a local client reaches the server on (a wildcard bind is reached on loopback). */
function baseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host
  return `http://${h}:${port}`
}

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
}

/**
 * The running server's cache counters — what `cache stats` shows, since the CLI's own cache object has
 * counted nothing. With `METRICS_PORT` set: `/status.json` on that listener (no login). Else
 * `GET /cache/stats` on the main port, logged in as `ADMIN_USERNAME` (and logged out afterwards).
 */
export async function serverCacheStats(config: Config, url?: string): Promise<ServerStats> {
  const main = url ?? baseUrl(config.host, config.port)
  try {
    if (!url && config.metricsPort > 0) {
      const source = `${baseUrl(config.host, config.metricsPort)}/status.json`
      const res = await get(source)
      if (!res.ok) return { ok: false, reason: `${source} answered ${res.status}` }
      const body = (await res.json()) as { cache: Record<string, unknown> | null }
      if (!body.cache) return { ok: false, reason: `${source}: the server could not read its cache` }
      return { ok: true, source, stats: body.cache }
    }
    if (!config.admin) return { ok: false, reason: `the server's ${main}/cache/stats needs ADMIN_USERNAME and ADMIN_PASSWORD (or set METRICS_PORT)` }
    const login = await get(`${main}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: main },
      body: JSON.stringify(config.admin),
    })
    if (login.status !== 200) return { ok: false, reason: `login as ${config.admin.username} at ${main} answered ${login.status}` }
    const cookie = /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? ''
    try {
      const res = await get(`${main}/cache/stats`, { headers: { Cookie: cookie } })
      if (!res.ok) return { ok: false, reason: `${main}/cache/stats answered ${res.status}` }
      return { ok: true, source: `${main}/cache/stats`, stats: (await res.json()) as Record<string, unknown> }
    } finally {
      await get(`${main}/auth/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: main } }).catch(() => {})
    }
  } catch (err) {
    return { ok: false, reason: `no server answered at ${main}: ${(err as Error).message}` }
  }
}
