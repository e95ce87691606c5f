/**
 * The unit an AHSP job name states: SNI names read "Pembuatan 1 m’ pagar…", "1 m3 galian…",
 * "Pemasangan 1 buah kloset…", "Per-m' penetrasi…", "1m3 beton…". The first such "1 <unit>" (or
 * "per <unit>") wins; an empty string when the name states none.
 */
const UNITS = [
  'm[’\'`´]', 'm3', 'm2', 'm³', 'm²', 'm1', 'm', 'buah', 'bh', 'unit', 'titik', 'ha', 'kg', 'ton', 'set', 'kali',
  'batang', 'tunggul', 'lubang', 'lembar', 'liter', 'ltr', 'pohon', 'km', 'ls', 'paket', 'lokasi', 'orang', 'hari',
  'bulan', 'jam', 'zak', 'pasang', 'stel', 'tiang', 'lusin',
]
const STATED = new RegExp(`(?:^|[\\s(])(?:1\\s*|per[-\\s]?)(${UNITS.join('|')})(?=$|[\\s,.;:)/])`, 'iu')

export function unitFromName(name: string): string {
  const m = STATED.exec(name)
  if (!m) return ''
  const unit = m[1].toLowerCase()
  if (/^m['`´’]$/.test(unit)) return 'm’'
  return unit.replace('³', '3').replace('²', '2')
}
