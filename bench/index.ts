/**
 * `npm run bench`: every `bench/*.ts` except this file, one after another, each in its own process (no
 * shared pools, JIT state or timers between suites). Not run: helpers in `bench/lib/`, and `*-server.ts`
 * (the server halves that a bench starts itself; run alone they would listen forever).
 * `npm run bench -- cache auth` runs only the named files.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('-server.ts') && f !== basename(fileURLToPath(import.meta.url)))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort()

let failed = 0
for (const file of files) {
  process.stderr.write(`\n=== bench/${file}\n`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit', env: process.env })
  if (r.status !== 0) {
    failed++
    process.stderr.write(`bench/${file} exited with ${r.status ?? r.signal}\n`)
  }
}
process.exit(failed === 0 ? 0 : 1)
