/**
 * The estimate download opens in a real spreadsheet program: LibreOffice headless converts it to CSV and
 * the numbers come back exactly. Without soffice this test FAILS (install: apt-get install -y
 * libreoffice-calc-nogui; .ci/run does it when missing).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { form } from '../helpers/catalog-app.js'
import { createPricingApp } from '../helpers/pricing-app.js'
import { HAND_ESTIMATE } from './estimates.suite.js'
import { FIXTURE_CSV, FIXTURE_JOBS } from './fixtures.js'

let t: Awaited<ReturnType<typeof createPricingApp>>
const dir = mkdtempSync(path.join(tmpdir(), 'rab-'))
beforeAll(async () => {
  t = await createPricingApp({ jobs: FIXTURE_JOBS })
  expect((await t.put('uji', form({ file: { name: 'harga.csv', data: FIXTURE_CSV } }))).status).toBe(200)
})
afterAll(async () => {
  await t?.close()
  rmSync(dir, { recursive: true, force: true })
})

function soffice(): string {
  for (const bin of ['soffice', 'libreoffice']) {
    try {
      execFileSync('which', [bin], { stdio: 'pipe' })
      return bin
    } catch {}
  }
  throw new Error('soffice not found: apt-get install -y libreoffice-calc-nogui (the test needs a real spreadsheet program)')
}

it('LibreOffice opens the .xlsx and reads the estimate back exactly', async () => {
  const res = await t.estimate(HAND_ESTIMATE, '?format=xlsx')
  expect(res.status).toBe(200)
  const file = path.join(dir, 'rab-uji.xlsx')
  writeFileSync(file, new Uint8Array(await res.arrayBuffer()))
  // Own profile directory: parallel runs must not share LibreOffice's user installation.
  execFileSync(soffice(), [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'csv', '--outdir', dir, file], { stdio: 'pipe', timeout: 90_000 })
  const rows = readFileSync(path.join(dir, 'rab-uji.csv'), 'utf8').trim().split(/\r?\n/)
  expect(rows[0]).toContain('RAB')
  expect(rows[1]).toBe('No,Kode,Uraian pekerjaan,Satuan,Volume,Harga satuan,Jumlah harga')
  expect(rows[2]).toBe('1,T.1,Galian uji,m3,2.5,142455.225,356138.0625')
  expect(rows[3]).toBe('2,T.2,Plester uji,m2,10,54084.70815,540847.0815')
  expect(rows.slice(4, 8).map((r) => r.split(',').at(-1))).toEqual(['896985.144', '98668.36584', '995653.50984', '996000'])
}, 120_000)
