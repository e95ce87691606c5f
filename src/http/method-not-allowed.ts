import type { Context } from 'hono'
import { problem } from './error-handler.js'

interface RouteEntry {
  method: string
  path: string
}

/** `/ahsp/jobs/:code` → a RegExp matching the paths that route serves. */
function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => {
      const param = /^:\w+(?:\{(.+)\})?(\?)?$/.exec(part)
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      return `(?:${param[1] ?? '[^/]+'})${param[2] ?? ''}`
    })
    .join('/')
  return new RegExp(`^${source}/?$`)
}

/**
 * The app's `notFound`: a path the app serves with other methods is 405 with `Allow` (RFC 9110 §15.5.6),
 * anything else 404. The route table is read from the app on the first miss (every route is mounted by then).
 */
export function notFoundOrMethodNotAllowed(routes: () => readonly RouteEntry[]) {
  let table: { method: string; pattern: RegExp }[] | undefined
  return (c: Context): Response => {
    // Middleware (`ALL`, or patterns with `*`) serves nothing by itself.
    table ??= routes().filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => ({ method: r.method, pattern: patternOf(r.path) }))
    const { method, path } = c.req
    const allowed = new Set<string>()
    for (const r of table) if (r.method !== method && r.pattern.test(path)) allowed.add(r.method)
    if (allowed.size === 0) return problem(c, 404, `No route for ${method} ${path}`)
    if (allowed.has('GET')) allowed.add('HEAD')
    const allow = [...allowed].sort().join(', ')
    c.header('Allow', allow)
    return problem(c, 405, `${method} is not allowed on ${path}; allowed: ${allow}`)
  }
}
