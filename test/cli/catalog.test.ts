import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { catalogCommands, parseImportArgs } from '../../src/cli/catalog.js'
import { UsageError } from '../../src/cli/args.js'
import { loadConfig } from '../../src/config.js'
import { createTestSchema } from '../helpers/services.js'

async function run(env: Record<string, string>, args: string[]) {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true))
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true))
  try {
    const code = await catalogCommands.import.run(args, loadConfig({ LOG_LEVEL: 'error', CACHE_BACKEND: 'memory', ...env }))
    return { code, out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'catalog-cli-'))
const csv = path.join(dir, 'jobs.csv')
writeFileSync(csv, 'kode_ahsp,nama_ahsp,kategori,item,satuan,koefisien\n1.1,Galian,Tenaga Kerja,Pekerja,OH,"0,75"\n1.2,Urugan,Bahan,Pasir,m3,x\n')
const garbage = path.join(dir, 'x.xlsx')
writeFileSync(garbage, 'not a zip')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('catalog import CLI', () => {
  it('parses its arguments', () => {
    expect(parseImportArgs(['a.tsv', '--source', 'S', '--components', 'c.tsv', '--json'])).toEqual({ file: 'a.tsv', source: 'S', components: 'c.tsv', json: true })
    expect(parseImportArgs(['--source=S', 'a.tsv'])).toEqual({ file: 'a.tsv', source: 'S', json: false })
    expect(parseImportArgs(['a.tsv', '--default-source', 'D', '--fix-coefficients'])).toEqual({ file: 'a.tsv', defaultSource: 'D', fixCoefficients: true, json: false })
    // node:util parseArgs, strict: an unknown option or a missing value is a usage error (exit 2), not ignored
    expect(() => parseImportArgs(['a.tsv', '--sourse', 'S'])).toThrow(UsageError)
    expect(() => parseImportArgs(['a.tsv', '--source'])).toThrow(UsageError)
  })

  it('without DATABASE_URL: says the memory catalog does not persist, still checks the file', async () => {
    const { code, out, err } = await run({}, [csv])
    expect(err).toMatch(/does not persist/)
    expect(out).toMatch(/jobs: 1 created, 0 updated, 0 unchanged/)
    expect(out).toMatch(/error row 3: unreadable coefficient "x"/)
    expect(code).toBe(1)
  })

  it('usage without a file (2); a file it cannot parse (1, message on stderr)', async () => {
    expect((await run({}, [])).code).toBe(2)
    const bad = await run({}, [garbage])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/import failed: Not a readable .xlsx workbook/)
  })

  describe('with DATABASE_URL (fresh schema)', () => {
    let schema: Awaited<ReturnType<typeof createTestSchema>>
    beforeAll(async () => {
      schema = await createTestSchema('catalog_cli')
    })
    afterAll(() => schema?.drop())

    it('imports into PostgreSQL, persists, and a second run changes nothing (--json summary)', async () => {
      const first = await run({ DATABASE_URL: schema.url }, [csv, '--source', 'CLI Test', '--json'])
      expect(JSON.parse(first.out)).toMatchObject({ jobs: { created: 1, updated: 0, unchanged: 0 }, errorCount: 1 })
      const second = await run({ DATABASE_URL: schema.url }, [csv, '--source', 'CLI Test', '--json'])
      expect(JSON.parse(second.out).jobs).toEqual({ created: 0, updated: 0, unchanged: 1 })
      const sql = postgres(schema.url, { max: 1, onnotice: () => {} })
      const rows = await sql`select source, code from catalog_jobs`
      await sql.end()
      expect(rows.map((r) => ({ ...r }))).toEqual([{ source: 'CLI Test', code: '1.1' }])
    })
  })
})
