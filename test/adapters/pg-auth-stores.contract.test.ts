import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeSessionStoreContract } from '../contracts/session-store.contract.js'
import { describeUserStoreContract } from '../contracts/user-store.contract.js'
import { createTestSchema } from '../helpers/services.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createPgSessionStore, migrateSessionStore } from '../../src/adapters/sql/session-store.js'
import { createPgUserStore, migrateUserStore } from '../../src/adapters/sql/user-store.js'
import { BackendUnavailableError } from '../../src/domain/errors.js'

let schema: Awaited<ReturnType<typeof createTestSchema>>
let sql: Sql

beforeAll(async () => {
  schema = await createTestSchema('auth_stores')
  sql = createPgClient(schema.url, { max: 4 })
  // Two instances starting at once: both migrations run concurrently, each applied exactly once.
  const other = createPgClient(schema.url, { max: 2 })
  const [a, b] = await Promise.all([
    Promise.all([migrateUserStore(sql), migrateSessionStore(sql)]),
    Promise.all([migrateUserStore(other), migrateSessionStore(other)]),
  ])
  await other.end()
  expect([...a.flat(), ...b.flat()].sort()).toEqual(['sessions-001', 'sessions-002', 'users-001'])
})
afterAll(async () => {
  await sql?.end()
  await schema?.drop()
})

describeUserStoreContract({ name: 'postgres', create: () => createPgUserStore(sql) })
describeSessionStoreContract({ name: 'postgres', create: ({ now }) => createPgSessionStore(sql, { now, pruneIntervalMs: 0, pruneBatch: 2 }) })

describe('postgres auth stores', () => {
  it('migrations are idempotent', async () => {
    expect(await migrateUserStore(sql)).toEqual([])
    expect(await migrateSessionStore(sql)).toEqual([])
  })

  it('turn an unreachable database into BackendUnavailableError', async () => {
    const dead = createPgClient('postgres://postgres@127.0.0.1:1/none', { connectTimeout: 1 })
    try {
      await expect(createPgUserStore(dead).findByUsername('x')).rejects.toBeInstanceOf(BackendUnavailableError)
      await expect(createPgSessionStore(dead, { pruneIntervalMs: 0 }).get('x')).rejects.toBeInstanceOf(BackendUnavailableError)
    } finally {
      await dead.end()
    }
  })

  it('prunes in the background on its timer', async () => {
    let t = Date.UTC(2030, 0, 1)
    const errors: unknown[] = []
    const store = createPgSessionStore(sql, { now: () => t, pruneIntervalMs: 20, onPruneError: (e) => errors.push(e) })
    const idHash = `bg-${crypto.randomUUID()}`
    await store.create({ idHash, userId: 'u', createdAt: t, expiresAt: t + 1000, idleExpiresAt: null })
    t += 2000
    await new Promise((r) => setTimeout(r, 150))
    await store.close()
    const [row] = await sql`select 1 from sessions where id_hash = ${idHash}`
    expect(row).toBeUndefined()
    expect(errors).toEqual([])
  })
})
