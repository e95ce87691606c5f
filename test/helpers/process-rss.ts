import { readFileSync, readdirSync } from 'node:fs'

/** The pids under `pid` (its children, theirs, …) from /proc: `tsx` serves the app from a child node process. */
function descendants(pid: number): number[] {
  const out: number[] = []
  for (const task of safe(() => readdirSync(`/proc/${pid}/task`), [] as string[])) {
    const children = safe(() => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8'), '')
    for (const c of children.split(' ').filter(Boolean).map(Number)) out.push(c, ...descendants(c))
  }
  return out
}

function safe<T>(read: () => T, fallback: T): T {
  try {
    return read()
  } catch {
    return fallback
  }
}

/** Resident memory of a process and its descendants, bytes (Linux). */
export function treeRss(pid: number): number {
  let total = 0
  for (const p of [pid, ...descendants(pid)]) {
    const m = /VmRSS:\s+(\d+) kB/.exec(safe(() => readFileSync(`/proc/${p}/status`, 'utf8'), ''))
    if (m) total += Number(m[1]) * 1024
  }
  return total
}

/** Samples `treeRss(pid)` every `everyMs` until `stop()`, which returns the peak. */
export function watchRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = treeRss(pid)
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), everyMs)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, treeRss(pid))
    },
  }
}
