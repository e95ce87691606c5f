import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import type { CatalogStore } from '../ports/catalog.js'
import { createJsonLogger } from '../adapters/log/json-logger.js'
import { createMemoryCatalog } from '../adapters/memory/catalog.js'
import { createPgCatalog } from '../adapters/sql/catalog.js'
import { createPgClient } from '../adapters/sql/client.js'
import { createCacheFromConfig } from '../composition/cache.js'
import { createCachedCatalog } from '../use-cases/catalog/cached-catalog.js'
import { createImportCatalog, type ImportReport } from '../use-cases/import/import-catalog.js'
import { AppError } from '../domain/errors.js'
import { parseCommandArgs } from './args.js'
import type { CliCommand } from './types.js'

const print = (line: string) => process.stdout.write(line + '\n')
const err = (line: string) => process.stderr.write(line + '\n')

export interface ImportArgs {
  file?: string
  components?: string
  /** The source of every row (`--source`); `--default-source`: of rows without one. */
  source?: string
  defaultSource?: string
  fixCoefficients?: boolean
  json: boolean
}

/** `import <file> [--components <file>] [--source S | --default-source S] [--fix-coefficients] [--json]`. */
export function parseImportArgs(args: string[]): ImportArgs {
  const { values, positionals } = parseCommandArgs(args, {
    source: { type: 'string' },
    'default-source': { type: 'string' },
    'fix-coefficients': { type: 'boolean', default: false },
    components: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  const out: ImportArgs = { file: positionals[0], components: values.components, source: values.source, json: values.json }
  if (values['default-source'] !== undefined) out.defaultSource = values['default-source']
  if (values['fix-coefficients']) out.fixCoefficients = true
  return out
}

/**
 * A progress bar on stderr, redrawn at most every 100 ms, only on a terminal (a pipe or a CI log gets
 * no control characters).
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, label = 'upserting') {
  let last = 0
  return (done: number, total: number) => {
    if (!stream.isTTY) return
    const now = Date.now()
    if (done < total && now - last < 100) return
    last = now
    const width = 30
    const filled = Math.round((done / Math.max(1, total)) * width)
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} jobs`)
    if (done >= total) stream.write('\n')
  }
}

function summarise(report: ImportReport): string[] {
  const lines = [
    `jobs: ${report.jobs.created} created, ${report.jobs.updated} updated, ${report.jobs.unchanged} unchanged`,
    `components written: ${report.components}; rows read: ${report.rows}`,
    `errors: ${report.errorCount}; warnings: ${report.warningCount}; mojibake repaired in ${report.textRepaired.count} cells`,
  ]
  for (const e of report.errors.slice(0, 20)) lines.push(`  error row ${e.row}: ${e.message}`)
  if (report.errorCount > 20) lines.push(`  … ${report.errorCount - 20} more errors (use --json for all)`)
  for (const w of report.warnings.slice(0, 5)) lines.push(`  warning row ${w.row}: ${w.message}`)
  if (report.warningCount > 5) lines.push(`  … ${report.warningCount - 5} more warnings`)
  return lines
}

async function openStore(config: Config): Promise<{ store: CatalogStore; persistent: boolean; close(): Promise<void> }> {
  if (!config.databaseUrl) {
    const store = createMemoryCatalog()
    return { store, persistent: false, close: () => store.close() }
  }
  const sql = createPgClient(config.databaseUrl, { max: 2, prepare: config.databasePrepare })
  try {
    const store = await createPgCatalog(sql)
    return { store, persistent: true, close: async () => (await store.close(), await sql.end({ timeout: 5 })) }
  } catch (e) {
    await sql.end({ timeout: 1 })
    throw e
  }
}

async function runImport(args: string[], config: Config): Promise<number> {
  const opts = parseImportArgs(args)
  if (!opts.file) {
    err('usage: catalog import <file.xlsx|csv|tsv|json> [--components <components.tsv>] [--source S | --default-source S] [--fix-coefficients] [--json]')
    return 2
  }
  const read = async (p: string) => ({ bytes: new Uint8Array(await readFile(p)), filename: path.basename(p) })
  const file = await read(opts.file)
  const components = opts.components ? await read(opts.components) : undefined
  const { store, persistent, close } = await openStore(config)
  if (!persistent) {
    err('DATABASE_URL is not set: importing into the in-memory catalog, which does not persist.')
    err('This only checks the file; set DATABASE_URL to import into PostgreSQL.')
  }
  const logger = createJsonLogger({ level: config.logLevel, write: (l) => process.stderr.write(l + '\n') })
  const cache = persistent ? await createCacheFromConfig(config, logger) : undefined
  try {
    // A running server's cached answers go stale through the shared cache's generation key.
    const cached = cache && createCachedCatalog({ store, cache, enabled: true, ttl: config.fts.cacheTtl, minQueryLength: 1, logger })
    const importCatalog = createImportCatalog({ store, onChanged: cached ? () => cached.invalidate() : undefined })
    const started = performance.now()
    const { source, defaultSource, fixCoefficients } = opts
    const report = await importCatalog({ file, components, source, defaultSource, fixCoefficients, onProgress: progressBar() })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (opts.json) print(JSON.stringify(report, null, 2))
    else for (const line of [...summarise(report), `done in ${seconds} s${persistent ? '' : ' (not persisted)'}`]) print(line)
    return report.errorCount > 0 ? 1 : 0
  } catch (e) {
    if (e instanceof AppError) {
      err(`import failed: ${e.message}`)
      const rows = (e.details?.errors as { row: number; message: string }[] | undefined) ?? []
      for (const r of rows.slice(0, 20)) err(`  row ${r.row}: ${r.message}`)
      return 1
    }
    throw e
  } finally {
    await cache?.close()
    await close()
  }
}

export const catalogCommands: Record<string, CliCommand> = {
  import: {
    summary:
      'import an AHSP file (.xlsx flat SNI layout, .csv, .tsv, .json) [--components f.tsv] [--source S | --default-source S] [--fix-coefficients] [--json]',
    run: runImport,
  },
}
