import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { ValueCompression } from './codec.js'

/** Raw deflate + base64 through the runtime's native zlib (Node, Bun, Deno): the stored `~z` form. */
export const zlibCompression: ValueCompression = {
  deflate: (json) => deflateRawSync(json).toString('base64'),
  inflate: (packed) => inflateRawSync(Buffer.from(packed, 'base64')).toString('utf8'),
}
