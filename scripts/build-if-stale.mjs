// `prestart`: build dist/node/main.js only when it is missing or older than what it is built from (src/, the
// package and TypeScript settings), so `npm start` after a `git pull` never serves a stale bundle and an
// unchanged tree starts without paying for a build (about a second). Plain Node, no dependency: it runs before
// anything is built and in an image pruned of devDependencies (where dist is fresh and esbuild never runs).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'dist', 'node', 'main.js')
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json']

/** The newest modification time under `path` (a file or a directory walked recursively), with the file that has it. */
function newest(path) {
  let st
  try {
    st = statSync(path)
  } catch {
    return { mtimeMs: -Infinity, path }
  }
  if (!st.isDirectory()) return { mtimeMs: st.mtimeMs, path }
  let best = { mtimeMs: st.mtimeMs, path }
  for (const name of readdirSync(path)) {
    const n = newest(join(path, name))
    if (n.mtimeMs > best.mtimeMs) best = n
  }
  return best
}

const out = newest(OUT)
const input = INPUTS.map((p) => newest(join(ROOT, p))).reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a))
if (out.mtimeMs >= input.mtimeMs) process.exit(0)

const why = out.mtimeMs === -Infinity ? 'missing' : `older than ${relative(ROOT, input.path)}`
console.error(`dist/node/main.js is ${why}: npm run build`)
// npm_execpath is the npm that runs this hook: the same npm builds, on every platform, without a shell.
const npm = process.env.npm_execpath
const r = npm
  ? spawnSync(process.execPath, [npm, 'run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' })
  : spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' })
process.exit(r.status ?? 1)
