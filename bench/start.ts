/**
 * `npm run bench:start`: start-up to the first answered search, `npm start` (prestart included) beside
 * `node dist/node/main.js` (the same server without npm), alternating, BENCH_RUNS (5) runs each on the embedded
 * default. Each run: spawn → first 200 from `/ahsp/search?q=galian%20tanah` (polled every 10 ms), then SIGTERM.
 * Reported: every run and the median per command; npm start − node dist is what npm and prestart cost.
 */
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/helpers/redis-server.js'
import { envInt } from './lib/services.js'

const RUNS = envInt('BENCH_RUNS', 5)
const ROOT = join(import.meta.dirname, '..')
const PATH = '/ahsp/search?q=galian%20tanah'
const COMMANDS: Record<string, [string, string[]]> = {
  'npm start': ['npm', ['start', '--silent']],
  'node dist/node/main.js': [process.execPath, ['dist/node/main.js']],
}

async function once(cmd: string, args: string[]): Promise<number> {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited (${child.exitCode}) before answering`)
      const ok = await fetch(`http://127.0.0.1:${port}${PATH}`).then(
        (r) => r.arrayBuffer().then(() => r.ok),
        () => false,
      )
      if (ok) return performance.now() - t0
      if (performance.now() - t0 > 60_000) throw new Error(`${cmd}: no answer in 60 s`)
      await new Promise((r) => setTimeout(r, 10))
    }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const times = new Map<string, number[]>(Object.keys(COMMANDS).map((k) => [k, []]))
const startLoad = loadavg()[0]!.toFixed(1)
for (let i = 0; i < RUNS; i++) {
  const names = Object.keys(COMMANDS)
  for (const name of i % 2 ? names.reverse() : names) times.get(name)!.push(await once(...COMMANDS[name]!))
}
console.log(`\nspawn → first 200 from ${PATH}, ${RUNS} alternating runs; load average ${startLoad} at start, ${loadavg()[0]!.toFixed(1)} at end\n`)
console.log('| command | median ms | runs ms |')
console.log('|---|---:|---|')
for (const [name, xs] of times) console.log(`| ${name} | ${Math.round(median(xs))} | ${xs.map(Math.round).join(', ')} |`)
