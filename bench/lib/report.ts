import type { Measurement } from './timing.js'

export interface Row {
  name: string
  m: Measurement
  /** The baseline this row is compared with; omitted for a baseline itself. */
  raw?: Measurement
  note?: string
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const us = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString())

/** A markdown table: case, ops/s, ratio to raw, p50/p99 in µs. */
export function markdownTable(rows: Row[]): string {
  const lines = ['| case | in flight | ops/s | ratio to raw | p50 µs | p99 µs |', '|---|---:|---:|---:|---:|---:|']
  for (const r of rows) {
    const ratio = r.raw ? `${(r.m.opsPerSec / r.raw.opsPerSec).toFixed(2)}×` : '(raw)'
    const name = r.note ? `${r.name} (${r.note})` : r.name
    lines.push(`| ${name} | ${r.m.concurrency} | ${fmt(r.m.opsPerSec)} | ${ratio} | ${us(r.m.p50)} | ${us(r.m.p99)} |`)
  }
  return lines.join('\n')
}

/** One progress line on stderr, so stdout holds only the tables. */
export function progress(msg: string): void {
  process.stderr.write(`… ${msg}\n`)
}
