/**
 * `npm run bench:compare -- [before] [after]`: the request path of two commits side by side in ONE run, so a
 * refactor's cost is measured against the same machine load (issue 11: "no worse than before, same run").
 * Each commit's own `bench/auth-server.ts` runs from a git worktree of that commit (after: this checkout
 * unless a commit is named), memory backend, in a child process. Rounds alternate the commit order and the
 * route order; per route we report the server's CPU time per request (process.cpuUsage through /__cpu —
 * the load generator's share and the machine's other work stay out of it), its user-mode part (Linux, from
 * /proc/<pid>/stat: the JavaScript the commit runs, without the kernel's share, which grows on its own when
 * a slower server finds the load generator asleep and each write pays for waking it) and req/s as a ratio
 * to the bare Hono route of the same server in the same round.
 * Defaults: before = 2ea301a (the last commit before issue 11's refactors: 59c79db wiring, c3b9d74 headers,
 * 02cd408 withHitStats), after = the working tree. Env: BENCH_ROUNDS (6), BENCH_DURATION_MS (1500),
 * BENCH_CONNECTIONS (50).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from '../test/helpers/redis-server.js'
import { load } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { serverCpuMicros, serverUserMicros, stopChildServer } from './lib/child-server.js'
import { envInt } from './lib/services.js'

const ROUNDS = envInt('BENCH_ROUNDS', 6)
const DURATION_MS = envInt('BENCH_DURATION_MS', 1500)
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const ADMIN = { username: 'bench-admin', password: 'bench-password-1' }
const tsx = createRequire(import.meta.url).resolve('tsx')
const repo = resolve(import.meta.dirname, '..')

interface Side {
  label: string
  dir: string
  url: string
  child: ChildProcess
  sid: string
}

/** A detached worktree of `commit` sharing this checkout's node_modules by hard links (no network). */
function worktree(commit: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'))
  execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', dir, commit], { stdio: 'ignore' })
  execFileSync('cp', ['-al', join(repo, 'node_modules'), join(dir, 'node_modules')])
  return {
    dir,
    remove: () => {
      execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' })
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function start(label: string, dir: string): Promise<Side> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', tsx, 'bench/auth-server.ts'], {
    cwd: dir,
    env: { ...process.env, LOG_LEVEL: 'error', CACHE_BACKEND: 'memory', PORT: String(port), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${label} did not start`)), 60_000)
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) (clearTimeout(timer), ok())
    })
    child.on('exit', (code) => fail(new Error(`${label} exited with ${code}`)))
  })
  const url = `http://127.0.0.1:${port}`
  const res = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bench-app': 'full' }, body: JSON.stringify(ADMIN) })
  const sid = /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]
  if (!sid) throw new Error(`${label}: login answered ${res.status}`)
  return { label, dir, url, child, sid }
}

const ROUTES = ['bare', 'health', 'me', 'me-full'] as const
type Route = (typeof ROUTES)[number]
const LABEL: Record<Route, string> = {
  bare: 'bare Hono route',
  health: '/health (app without rate limits)',
  me: '/auth/me (app without rate limits)',
  'me-full': '/auth/me (whole app)',
}

function target(s: Side, r: Route): { url: string; headers?: Record<string, string> } {
  if (r === 'bare') return { url: `${s.url}/bare` }
  if (r === 'health') return { url: `${s.url}/health`, headers: { 'x-bench-app': 'session' } }
  return { url: `${s.url}/auth/me`, headers: { cookie: `sid=${s.sid}`, 'x-bench-app': r === 'me' ? 'session' : 'full' } }
}

interface Sample {
  rps: number
  cpu: number
  /** User-mode CPU µs/req; NaN where /proc is not there. */
  user: number
}

async function sample(s: Side, r: Route): Promise<Sample> {
  const before = await serverCpuMicros(s.url)
  const userBefore = serverUserMicros(s.child.pid)
  const res = await load({ ...target(s, r), connections: CONNECTIONS, durationMs: DURATION_MS })
  if (res.errors > 0) throw new Error(`${s.label} ${r}: ${res.errors} unexpected answers`)
  const n = Math.max(1, res.requests)
  return { rps: res.reqPerSec, user: (serverUserMicros(s.child.pid) - userBefore) / n, cpu: ((await serverCpuMicros(s.url)) - before) / n }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main() {
  const [beforeRef = '2ea301a', afterRef] = process.argv.slice(2)
  const trees = [worktree(beforeRef), ...(afterRef ? [worktree(afterRef)] : [])]
  const sides: Side[] = []
  try {
    sides.push(await start(`before ${beforeRef}`, trees[0]!.dir))
    sides.push(await start(`after ${afterRef ?? 'working tree'}`, afterRef ? trees[1]!.dir : repo))
    progress('warm-up')
    for (const s of sides) for (const r of ROUTES) await load({ ...target(s, r), connections: CONNECTIONS, durationMs: DURATION_MS })
    const data = sides.map(() => Object.fromEntries(ROUTES.map((r) => [r, [] as Sample[]])) as Record<Route, Sample[]>)
    for (let round = 0; round < ROUNDS; round++) {
      progress(`round ${round + 1}/${ROUNDS}`)
      const order = round % 2 === 0 ? [0, 1] : [1, 0]
      const routes = round % 4 < 2 ? ROUTES : [...ROUTES].reverse()
      for (const r of routes) for (const i of order) data[i]![r].push(await sample(sides[i]!, r))
    }
    const lines = [
      `| route | ${sides.map((s) => `${s.label}: CPU µs/req`).join(' | ')} | ${sides.map((s) => `${s.label}: user µs/req`).join(' | ')} | ${sides.map((s) => `${s.label}: ratio to bare`).join(' | ')} |`,
      `|---|${sides.map(() => '---:').join('|')}|${sides.map(() => '---:').join('|')}|${sides.map(() => '---:').join('|')}|`,
    ]
    for (const r of ROUTES) {
      const cpu = data.map((d) => median(d[r].map((x) => x.cpu)).toFixed(1))
      const user = data.map((d) => median(d[r].map((x) => x.user)).toFixed(1))
      const ratio = data.map((d) => (r === 'bare' ? '(bare)' : `${median(d[r].map((x, i) => x.rps / d.bare[i]!.rps)).toFixed(2)}×`))
      lines.push(`| ${LABEL[r]} | ${cpu.join(' | ')} | ${user.join(' | ')} | ${ratio.join(' | ')} |`)
    }
    process.stdout.write(`\n${ROUNDS} rounds × ${DURATION_MS} ms, ${CONNECTIONS} connections, medians over rounds\n\n${lines.join('\n')}\n`)
  } finally {
    for (const s of sides) await stopChildServer(s)
    for (const t of trees) t.remove()
  }
}

await main()
