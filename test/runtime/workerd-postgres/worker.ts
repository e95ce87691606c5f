import postgres from 'postgres'

/**
 * Probe for test/runtime/workerd-postgres.test.ts: postgres.js (its `workerd` build, on `cloudflare:sockets`)
 * inside workerd. `/fresh` opens a client for the request and ends it; `/shared` reuses one client across
 * requests, as the app's pools do on Node.
 */
let shared: postgres.Sql | undefined

export default {
  async fetch(req: Request, env: { DATABASE_URL: string }): Promise<Response> {
    const path = new URL(req.url).pathname
    try {
      if (path === '/fresh') {
        const sql = postgres(env.DATABASE_URL, { max: 1 })
        try {
          const [row] = await sql`select ${41}::int + 1 as n`
          return Response.json(row)
        } finally {
          await sql.end()
        }
      }
      shared ??= postgres(env.DATABASE_URL, { max: 1 })
      const [row] = await shared`select pg_backend_pid() as pid`
      return Response.json(row)
    } catch (err) {
      return Response.json({ error: (err as Error).message }, { status: 500 })
    }
  },
}
