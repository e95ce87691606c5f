import type { JobWithComponents } from '../../src/ports/catalog.js'

/** 100,000 jobs: the first words of one real job + the rest of another, codes under fresh top-level numbers. */
export function synthetic(real: JobWithComponents[], n: number): JobWithComponents[] {
  const out: JobWithComponents[] = []
  for (let i = 0; i < n; i++) {
    const a = real[i % real.length]
    const b = real[(i * 7919 + 13) % real.length]
    const wa = a.name.split(/\s+/)
    const wb = b.name.split(/\s+/)
    const name = [...wa.slice(0, Math.ceil(wa.length / 2)), ...wb.slice(Math.floor(wb.length / 2))].join(' ')
    out.push({ ...a, source: 'AHSP Sintetis', code: `${10 + Math.floor(i / real.length)}.${a.code}`, name, components: a.components.slice(0, 4) })
  }
  return out
}
