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

const HEADER = ['| case | in flight | ops/s | ratio to raw | p50 µs | p99 µs |', '|---|---:|---:|---:|---:|---:|']

/** One markdown table row: case, in flight, ops/s, ratio to raw, p50/p99 in µs. */
export function markdownRow(r: Row): string {
  const ratio = r.raw ? `${(r.m.opsPerSec / r.raw.opsPerSec).toFixed(2)}×` : '(raw)'
  const name = r.note ? `${r.name} (${r.note})` : r.name
  return `| ${name} | ${r.m.concurrency} | ${fmt(r.m.opsPerSec)} | ${ratio} | ${us(r.m.p50)} | ${us(r.m.p99)} |`
}

/** A whole markdown table. */
export function markdownTable(rows: Row[]): string {
  return [...HEADER, ...rows.map(markdownRow)].join('\n')
}

/** Prints a table header now and each row as soon as it is measured (a killed run keeps what it measured). */
export function streamTable(): (row: Row) => void {
  console.log(HEADER.join('\n'))
  return (row) => console.log(markdownRow(row))
}

/** One progress line on stderr, so stdout holds only the tables. */
export function progress(msg: string): void {
  process.stderr.write(`… ${msg}\n`)
}
