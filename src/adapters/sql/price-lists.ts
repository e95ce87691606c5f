/**
 * Price lists in PostgreSQL. Versions come from one sequence (never reused, even after a delete).
 * A replace is one transaction: the list row is locked (`for update` through the upsert), the old items
 * read for the counts, then replaced. No session state (no temp tables, no SET): works behind PgBouncer
 * in transaction pooling. Library errors become `BackendUnavailableError` (503).
 */
import type { Sql } from './client.js'
import { runMigrations, type Migration } from './migrations.js'
import { guardedBy } from './pg-errors.js'
import type { PriceItem, PriceListStore } from '../../ports/prices.js'
import { byItemCode, dedupeItems, diffItems } from '../../domain/price-items.js'

export const PRICE_LIST_MIGRATIONS: readonly Migration[] = [
  {
    id: 'prices-001',
    sql: `
      create sequence if not exists price_list_version_seq;
      create table if not exists price_lists (
        name text collate "C" primary key,
        version bigint not null,
        updated_at timestamptz not null default now()
      );
      create table if not exists price_items (
        list text collate "C" not null references price_lists (name) on delete cascade,
        item_code text collate "C" not null,
        description text not null default '',
        unit text not null default '',
        price numeric not null check (price >= 0),
        primary key (list, item_code)
      );
    `,
  },
]

const guard = guardedBy('prices')

interface ItemRow {
  item_code: string
  description: string
  unit: string
  price: string
}
const toItem = (r: ItemRow): PriceItem => ({ itemCode: r.item_code, description: r.description, unit: r.unit, price: r.price })

export async function createPgPriceLists(sql: Sql): Promise<PriceListStore> {
  await runMigrations(sql, PRICE_LIST_MIGRATIONS)

  return {
    replace: guard('replace', async (list: string, input: readonly PriceItem[]) => {
      const items = dedupeItems(input).sort(byItemCode)
      return sql.begin(async (tx) => {
        const [row] = await tx<{ version: string }[]>`
          insert into price_lists (name, version, updated_at) values (${list}, nextval('price_list_version_seq'), now())
          on conflict (name) do update set version = nextval('price_list_version_seq'), updated_at = now()
          returning version::text as version`
        const before = await tx<ItemRow[]>`
          select item_code, description, unit, price::text as price from price_items where list = ${list}`
        const counts = diffItems(before.map(toItem), items)
        await tx`delete from price_items where list = ${list}`
        for (let i = 0; i < items.length; i += 1000) {
          const chunk = items.slice(i, i + 1000)
          await tx`
            insert into price_items (list, item_code, description, unit, price)
            select ${list}, * from unnest(${chunk.map((x) => x.itemCode)}::text[], ${chunk.map((x) => x.description)}::text[],
              ${chunk.map((x) => x.unit)}::text[], ${chunk.map((x) => x.price)}::numeric[])`
        }
        return { ...counts, version: Number(row!.version) }
      })
    }),

    get: guard('get', async (list: string) => {
      const [head] = await sql<{ version: string; updated_at: Date }[]>`
        select version::text as version, updated_at from price_lists where name = ${list}`
      if (!head) return undefined
      const rows = await sql<ItemRow[]>`
        select item_code, description, unit, price::text as price from price_items where list = ${list} order by item_code`
      return { list, items: rows.map(toItem), updatedAt: head.updated_at.toISOString(), version: Number(head.version) }
    }),

    lists: guard('lists', async () => {
      const rows = await sql<{ name: string; items: number; updated_at: Date }[]>`
        select l.name, (select count(*)::int from price_items i where i.list = l.name) as items, l.updated_at
        from price_lists l order by l.name`
      return rows.map((r) => ({ list: r.name, items: r.items, updatedAt: r.updated_at.toISOString() }))
    }),

    delete: guard('delete', async (list: string) => {
      const rows = await sql`delete from price_lists where name = ${list} returning name`
      return rows.length > 0
    }),

    version: guard('version', async (list: string) => {
      const [row] = await sql<{ version: string }[]>`select version::text as version from price_lists where name = ${list}`
      return row ? Number(row.version) : 0
    }),

    // The pool belongs to whoever created it (the composition root closes it).
    async close() {},
  }
}
