import { Deflate, strToU8 } from 'fflate'

const MB = 1024 * 1024

/**
 * A raw deflate stream of `megabytes` MB of zeros, built without compressing them all: one sync-flushed
 * block of 1 MB of zeros is byte-aligned and refers only to the (all-zero) window, so the same bytes can
 * be repeated. ~1 KB per MB: 9 MB of upload inflates to ~9 GB.
 */
export function zeroDeflateStream(megabytes: number): Uint8Array {
  const chunks: Uint8Array[] = []
  const d = new Deflate({ level: 9 }, (chunk) => chunks.push(chunk))
  const zeros = new Uint8Array(MB)
  d.push(zeros)
  d.flush(true)
  const first = concat(chunks.splice(0))
  d.push(zeros)
  d.flush(true)
  const steady = concat(chunks.splice(0))
  d.push(new Uint8Array(0), true)
  const last = concat(chunks.splice(0))
  return concat([first, ...Array<Uint8Array>(megabytes - 1).fill(steady), last])
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

interface Entry {
  name: string
  data: Uint8Array
  /** 0 stored, 8 deflate (data already compressed). */
  method: 0 | 8
  /** The uncompressed size written in both headers — a lie when you want one. */
  declaredSize: number
}

/** A zip of entries exactly as given (sizes as declared, CRC 0): for files that lie. */
export function rawZip(entries: Entry[]): Uint8Array {
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const e of entries) {
    const name = strToU8(e.name)
    const local = new Uint8Array(30 + name.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint16(4, 20, true)
    lv.setUint16(8, e.method, true)
    lv.setUint32(18, e.data.length, true)
    lv.setUint32(22, e.declaredSize, true)
    lv.setUint16(26, name.length, true)
    local.set(name, 30)
    const central = new Uint8Array(46 + name.length)
    const cv = new DataView(central.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint16(4, 20, true)
    cv.setUint16(6, 20, true)
    cv.setUint16(10, e.method, true)
    cv.setUint32(20, e.data.length, true)
    cv.setUint32(24, e.declaredSize, true)
    cv.setUint16(28, name.length, true)
    cv.setUint32(42, offset, true)
    central.set(name, 46)
    locals.push(local, e.data)
    centrals.push(central)
    offset += local.length + e.data.length
  }
  const directory = concat(centrals)
  const eocd = new Uint8Array(22)
  const ev = new DataView(eocd.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, entries.length, true)
  ev.setUint16(10, entries.length, true)
  ev.setUint32(12, directory.length, true)
  ev.setUint32(16, offset, true)
  return concat([...locals, directory, eocd])
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

/** An `.xlsx` whose sheet is `megabytes` MB of zeros deflated, its headers claiming 1 KB. */
export function lyingXlsxBomb(megabytes: number): Uint8Array {
  const stored = (name: string, text: string): Entry => {
    const data = strToU8(text)
    return { name, data, method: 0, declaredSize: data.length }
  }
  return rawZip([
    stored('xl/workbook.xml', `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    stored('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
    { name: 'xl/worksheets/sheet1.xml', data: zeroDeflateStream(megabytes), method: 8, declaredSize: 1024 },
  ])
}
