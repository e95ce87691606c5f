import { Inflate } from 'fflate'
import { UnprocessableError } from '../../domain/errors.js'
import type { Steps } from '../shared/slices.js'

/**
 * The zip container of an `.xlsx`, read without trusting it: the central directory gives each entry's name,
 * method and where its compressed bytes are; the uncompressed size it declares is ignored. An entry is
 * inflated by fflate's streaming `Inflate` in small input chunks with a running count of what it really
 * produces, stopping at the bound — a deflate stream of zeros that expands to gigabytes under a forged size
 * costs at most `maxBytes` and a few milliseconds per chunk, yielding (see `runSliced`) between chunks.
 */
export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflate. */
  method: number
  compressedSize: number
  /** Offset of the entry's local header. */
  localOffset: number
}

/** Compressed bytes per push: deflate expands at most ~1032×, so one push yields ≤ ~0.5 MB (a few ms). */
const INPUT_CHUNK = 512

function bad(message: string): never {
  throw new UnprocessableError(`Not a readable .xlsx workbook: ${message}`)
}

/** Central directory entries by name (nothing inflated). */
export function readZipDirectory(zip: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) bad('not a zip archive')
  const count = view.getUint16(eocd + 10, true)
  let p = view.getUint32(eocd + 16, true)
  const entries = new Map<string, ZipEntry>()
  const names = new TextDecoder('utf-8')
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || view.getUint32(p, true) !== 0x02014b50) bad('corrupt central directory')
    const nameLength = view.getUint16(p + 28, true)
    const extraLength = view.getUint16(p + 30, true)
    const commentLength = view.getUint16(p + 32, true)
    const entry: ZipEntry = {
      name: names.decode(zip.subarray(p + 46, p + 46 + nameLength)),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      localOffset: view.getUint32(p + 42, true),
    }
    entries.set(entry.name, entry)
    p += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** The entry's compressed bytes, located through its local header. */
function compressedBytes(zip: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  const at = entry.localOffset
  if (at + 30 > zip.length || view.getUint32(at, true) !== 0x04034b50) bad(`corrupt entry ${entry.name}`)
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
  const end = start + entry.compressedSize
  if (end > zip.length) bad(`entry ${entry.name} runs past the end of the file`)
  return zip.subarray(start, end)
}

/**
 * The entry's content, at most `maxBytes` of it: more is an `UnprocessableError` as soon as the inflater has
 * produced it, whatever the headers said. Yields between input chunks.
 */
export function* inflateEntry(zip: Uint8Array, entry: ZipEntry, maxBytes: number, tooLarge: () => never): Steps<Uint8Array> {
  const input = compressedBytes(zip, entry)
  if (entry.method === 0) {
    if (input.length > maxBytes) tooLarge()
    return input
  }
  if (entry.method !== 8) bad(`entry ${entry.name} uses compression method ${entry.method}`)
  const parts: Uint8Array[] = []
  let total = 0
  let ended = false
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > maxBytes) tooLarge()
    parts.push(chunk)
    if (final) ended = true
  })
  for (let at = 0; at < input.length && !ended; at += INPUT_CHUNK) {
    const end = Math.min(at + INPUT_CHUNK, input.length)
    try {
      inflater.push(input.subarray(at, end), end === input.length)
    } catch (err) {
      if (err instanceof UnprocessableError) throw err
      bad(`corrupt entry ${entry.name}`)
    }
    yield
  }
  if (!ended) bad(`entry ${entry.name} is truncated`)
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
