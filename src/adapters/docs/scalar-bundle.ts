import { readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { DocsBundle } from '../../ports/docs-bundle.js'

/**
 * Scalar's standalone browser bundle (`dist/browser/standalone.js`: one self-contained UMD script that
 * defines `window.Scalar`, styles included) from the installed `@scalar/api-reference`, pinned in
 * package.json. The package exports no path to it, so it is found next to the package's main module.
 */
export function createScalarBundle(): DocsBundle {
  let found: { version: string; file: string } | Error
  try {
    const main = createRequire(import.meta.url).resolve('@scalar/api-reference')
    const packageDir = dirname(dirname(main)) // <pkg>/dist/index.js → <pkg>
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
    found = { version, file: join(packageDir, 'dist', 'browser', 'standalone.js') }
  } catch (err) {
    // Not installed (a checkout without `npm install`): the API still starts; only /docs lacks its script.
    found = new Error(`@scalar/api-reference is not installed: ${(err as Error).message}`)
  }
  let bytes: Promise<Uint8Array> | undefined
  return {
    version: found instanceof Error ? 'missing' : found.version,
    script() {
      if (found instanceof Error) return Promise.reject(found)
      bytes ??= readFile(found.file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))
      bytes.catch(() => (bytes = undefined)) // a failed read is retried on the next request
      return bytes
    },
  }
}
