import postgres from 'postgres'

/** The real services integration suites use (spec: local Redis and PostgreSQL, or TEST_* overrides). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0'
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A unique, readable prefix for keys, schemas and table names in one test run. */
export function uniqueName(label: string): string {
  return `t_${label}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`.toLowerCase()
}

/**
 * A fresh PostgreSQL schema for one suite: returns a DATABASE_URL whose connections use it as
 * `search_path`, so migrations and tables of parallel suites never meet. `drop()` removes it.
 */
export async function createTestSchema(label: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  return createSchema(TEST_DATABASE_URL, uniqueName(label))
}

/** Schema `schema` in the database at `baseUrl` (tests and benchmarks), with a URL that selects it. */
export async function createSchema(baseUrl: string, schema: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create schema "${schema}"`)
  await admin.end()
  const url = new URL(baseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.toString(),
    schema,
    async drop() {
      const sql = postgres(baseUrl, { max: 1, onnotice: () => {} })
      await sql.unsafe(`drop schema if exists "${schema}" cascade`)
      await sql.end()
    },
  }
}
