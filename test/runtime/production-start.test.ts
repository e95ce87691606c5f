import { execFileSync } from 'node:child_process'
import { readFileSync, statSync, utimesSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tryConnect } from '../helpers/port-probe.js'
import { startServer, type ServerProcess } from '../helpers/server-process.js'

/**
 * The production start: compiled JavaScript (`npm run build` → dist/node/main.js) on plain node, no tsx.
 * A process manager's SIGTERM goes to the process it started — `npm` itself for `npm start` — and must
 * stop the server with it: exit 0 and the port free, no orphan left listening.
 */
const ROOT = join(import.meta.dirname, '..', '..')
const running: ServerProcess[] = []

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' })
})
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop(1000)))
})

describe.each(['node-dist', 'npm-start'] as const)('production start (%s)', (runtime) => {
  it('serves the shipped reference from dist; SIGTERM to the started process → exit 0, port free within 5 s', async () => {
    const s = await startServer(runtime, {}, 30_000)
    running.push(s)
    const res = await fetch(`${s.url}/ahsp/search?q=galian%20tanah`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { items: unknown[] }
    expect(body.items.length).toBeGreaterThan(0)
    expect(s.lines.some((l) => l.includes('"runtime":"node"'))).toBe(true)

    const signalled = Date.now()
    s.signal('SIGTERM')
    expect(await s.exited).toBe(0)
    expect(Date.now() - signalled).toBeLessThan(5000)
    expect(s.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true)
    expect(await tryConnect(s.port)).toBe('refused')
  })
})

describe('production start as a container\'s PID 1 (unshare --pid --fork: node is PID 1 in its namespace)', () => {
  it('SIGTERM to PID 1 (what `docker stop` sends) → drain, exit 0, port free', async () => {
    const s = await startServer('pid1', {}, 30_000)
    running.push(s)
    // PID 1 gets no default signal actions from the kernel: only a handler the server installs makes SIGTERM work.
    const [pid] = readFileSync(`/proc/${s.child.pid}/task/${s.child.pid}/children`, 'utf8').trim().split(' ').map(Number)
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m)
    expect((await fetch(`${s.url}/health`)).status).toBe(200)

    const signalled = Date.now()
    process.kill(pid!, 'SIGTERM')
    expect(await s.exited).toBe(0) // unshare --fork exits with its child's status
    expect(Date.now() - signalled).toBeLessThan(5000)
    expect(s.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true)
    expect(await tryConnect(s.port)).toBe('refused')
  })
})

describe('prestart (scripts/build-if-stale.mjs)', () => {
  const OUT = join(ROOT, 'dist', 'node', 'main.js')
  const prestart = () => execFileSync('npm', ['run', '--silent', 'prestart'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' })

  it('leaves a dist newer than its sources alone, rebuilds one older than them', () => {
    const fresh = statSync(OUT).mtimeMs
    prestart()
    expect(statSync(OUT).mtimeMs).toBe(fresh)

    const past = new Date('2000-01-01T00:00:00Z')
    utimesSync(OUT, past, past)
    prestart()
    expect(statSync(OUT).mtimeMs).toBeGreaterThan(Date.now() - 60_000)
  })
})

describe('dist/node (npm run build --splitting)', () => {
  /** Every package dist/node/main.js loads before it runs: its static imports, followed through the chunks. */
  function staticPackages(file: string, seen = new Set<string>()): Set<string> {
    const packages = new Set<string>()
    if (seen.has(file)) return packages
    seen.add(file)
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
      if (spec === undefined) continue
      if (spec.startsWith('.')) for (const p of staticPackages(join(dirname(file), spec), seen)) packages.add(p)
      else packages.add(spec)
    }
    return packages
  }

  it('loads ioredis and postgres.js only on demand (REDIS_URL, DATABASE_URL set), hono up front', () => {
    const packages = staticPackages(join(ROOT, 'dist', 'node', 'main.js'))
    expect(packages).toContain('hono')
    expect(packages).not.toContain('postgres')
    expect(packages).not.toContain('ioredis')
  })
})
