import postgres from 'postgres'
import type { InvalidationEvent, InvalidationFeed, InvalidationListener } from '../../ports/invalidation.js'
import { keyNamespace } from '../shared/keys.js'
import { createTicker } from '../shared/ticker.js'
import type { Sql } from './client.js'
import { createCacheTable } from './cache-table.js'
import { cacheChannel, installCacheNotify } from './cache-notify.js'

export interface PgInvalidationFeedOptions {
  /**
   * A direct connection (`DATABASE_LISTEN_URL`, else `DATABASE_URL`): LISTEN needs a session of its own,
   * which PgBouncer in transaction mode does not give; the feed detects that and stays not live.
   */
  url: string
  /** The cache table the SQL cache adapter writes. Default `cache_entries`. */
  table?: string
  prefix?: string
  version?: string | number
  /** Ms between heartbeats; `confirmedAt()` is at most about this old while the feed is healthy. Default 250. */
  heartbeatMs?: number
  /** No heartbeat back for this long: the connection is given up (flush) and a new one opened. Default max(1000, 4 × heartbeatMs). */
  staleAfterMs?: number
  /** `application_name` of the listening session (tests find its pid by it), + ` heartbeat` for the other. Default `ahsp-api-listen`. */
  applicationName?: string
  /** Create the cache table when absent. Default true. */
  createTable?: boolean
  /** Called with a one-line reason when the feed gives up a connection or cannot open one (logs). */
  onError?: (message: string) => void
}

/** One pair of connections' life: opened, listening, then given up (never reused). */
interface Session {
  /** The listening connection: LISTEN, then only notifications. */
  sql: Sql
  /** The heartbeat connection: `pg_notify` as any other writer, so a heartbeat proves others' changes reach `sql`. */
  beat: Sql
  channel?: string
  listening: boolean
  /** A heartbeat came back on this session. */
  confirmed: boolean
  /** A heartbeat statement is in flight (one at a time: a slow server is not sent a queue of them). */
  beating: boolean
  dead: boolean
}

/**
 * The db backend's InvalidationFeed: LISTEN on the cache table's channel (`cache-notify.ts`) over a
 * dedicated connection, which this feed owns and replaces itself (postgres.js's `sql.listen` re-listens
 * on its own but drops the listener when the re-LISTEN fails, and says nothing about the gap).
 *
 * Heartbeats: every `heartbeatMs` a second connection runs `pg_notify(channel, 'h<feed>:<n>')` and the
 * feed notes the time it sent it. When that notification comes back on the listening connection, every
 * change committed before the heartbeat's commit has been delivered (one queue, read in commit order), in
 * particular every change acknowledged to a writer before the send time: that time becomes
 * `confirmedAt()`. From a second connection, not the listening one: behind PgBouncer in transaction mode
 * a session's own notifications come back while others' are lost (measured: the feed went live and
 * missed every write); from another connection the heartbeat is lost like them, so the feed never goes live.
 */
export function createPgInvalidationFeed(options: PgInvalidationFeedOptions): InvalidationFeed {
  const table = options.table ?? 'cache_entries'
  const ns = keyNamespace(options.prefix, options.version)
  // The triggers tell rate-limit counters by the key's third `:` field (cache-notify.ts).
  if (ns.base.split(':').length !== 3) throw new TypeError(`the feed's prefix and version cannot hold ':' (${ns.base})`)
  const heartbeatMs = options.heartbeatMs ?? 250
  const staleAfterMs = options.staleAfterMs ?? Math.max(1000, 4 * heartbeatMs)
  const me = `h${crypto.randomUUID().slice(0, 8)}:`
  const listeners = new Set<InvalidationListener>()
  const stats = { live: false, invalidations: 0, flushes: 0, heartbeats: 0, reconnects: 0 }
  /** Heartbeats sent on the current session and not yet back: sequence number → send time. */
  const sent = new Map<number, number>()
  let session: Session | undefined
  let confirmed: number | undefined
  /** Heartbeats numbered below this cannot confirm (sent before the last flush). */
  let firstValid = 0
  let seq = 0
  let lastSign = performance.now()
  let listenedBefore = false
  let closed = false
  /** `confirmedAt()` was called since the last heartbeat was sent. */
  let asked = true

  function emit(event: InvalidationEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event)
      } catch {
        // A failing listener must not stop delivery to the others.
      }
    }
  }

  function flush(reason: string): void {
    stats.flushes++
    confirmed = undefined
    stats.live = false
    firstValid = seq + 1
    emit({ flush: reason })
  }

  function lose(s: Session, reason: string): void {
    if (s.dead) return
    s.dead = true
    if (session === s) session = undefined
    sent.clear()
    void s.sql.end({ timeout: 0 }).catch(() => {})
    void s.beat.end({ timeout: 0 }).catch(() => {})
    if (closed) return
    options.onError?.(reason)
    if (s.listening) flush(reason)
  }

  function onNotify(s: Session, channel: string, payload: string): void {
    if (s !== session || channel !== s.channel) return
    if (payload.startsWith('k')) {
      const keys = payload.slice(1).split('\n').filter((k) => k.startsWith(ns.base))
      if (keys.length === 0) return
      stats.invalidations++
      emit({ keys })
    } else if (payload === 'f') {
      flush('server flush (truncate or a statement with too many keys)')
    } else if (payload.startsWith(me)) {
      const n = Number(payload.slice(me.length))
      const at = sent.get(n)
      for (const k of sent.keys()) if (k <= n) sent.delete(k)
      if (at === undefined || n < firstValid) return
      confirmed = Math.max(confirmed ?? at, at)
      lastSign = performance.now()
      s.confirmed = true
      stats.heartbeats++
      stats.live = true
    }
  }

  async function open(): Promise<void> {
    // `onnotify` is an option of postgres.js 3 (src/index.js) its types leave out.
    const connect = (role: string, onnotify?: (channel: string, payload: string) => void) =>
      postgres(options.url, {
        max: 1,
        idle_timeout: 0,
        max_lifetime: null,
        connect_timeout: Math.max(1, Math.ceil(staleAfterMs / 1000)),
        fetch_types: false,
        onnotice: () => {},
        onclose: () => lose(s, `${role} connection closed`),
        connection: { application_name: (options.applicationName ?? 'ahsp-api-listen') + (onnotify ? '' : ' heartbeat') },
        ...(onnotify && { onnotify }),
      } as postgres.Options<{}>)
    const s: Session = { listening: false, confirmed: false, beating: false, dead: false } as unknown as Session
    s.sql = connect('listen', (channel, payload) => onNotify(s, channel, payload))
    s.beat = connect('heartbeat')
    session = s
    lastSign = performance.now()
    try {
      if (options.createTable !== false) await createCacheTable(s.sql, table)
      await installCacheNotify(s.sql, table)
      const channel = await cacheChannel(s.sql, table)
      if (!channel) throw new Error(`cache table ${table} does not exist`)
      await s.sql.unsafe(`listen "${channel}"`)
      if (s.dead) return
      Object.assign(s, { channel, listening: true })
      lastSign = performance.now()
      // Changes committed between the last session's end and this LISTEN were never sent to anyone here.
      if (listenedBefore) {
        stats.reconnects++
        flush('listening again after a reconnect')
      }
      listenedBefore = true
      heartbeat(s)
    } catch (err) {
      lose(s, `listen failed: ${(err as { code?: string }).code ?? (err as Error).message}`)
    }
  }

  function heartbeat(s: Session): void {
    if (s.beating) return
    s.beating = true
    const n = ++seq
    sent.set(n, performance.now())
    // A failure shows as an overdue heartbeat (or in onclose).
    s.beat
      .unsafe('select pg_notify($1, $2)', [s.channel!, me + n])
      .catch(() => {})
      .finally(() => (s.beating = false))
  }

  function overdue(s: Session): string {
    if (!s.listening) return 'listen timed out'
    if (s.confirmed) return 'heartbeat overdue'
    return 'no heartbeat ever came back: behind PgBouncer in transaction mode LISTEN cannot work, give the feed a direct connection (DATABASE_LISTEN_URL)'
  }

  /**
   * Every heartbeatMs: open a session when there is none, give up one whose heartbeats stopped, send one.
   * On demand, like the Redis feed: a listening session that nobody asked since its last heartbeat (no near
   * reads) and that has none outstanding sends none and stops the tick, so an idle instance costs the
   * database no commits. Its next read finds an old confirmation, reads the table once and asks; the tick
   * restarts and the next heartbeat confirms. A connection that closes meanwhile still flushes (onclose).
   */
  function tick(): void {
    if (closed) return
    const s = session
    if (!s) return void open()
    if (performance.now() - lastSign > staleAfterMs) return lose(s, overdue(s))
    if (!s.listening) return
    if (!asked && sent.size === 0) return ticker.stop()
    asked = false
    heartbeat(s)
  }

  const ticker = createTicker(tick, heartbeatMs, () => (lastSign = performance.now()))
  ticker.start()
  void open()

  return {
    name: 'pg-notify',
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    confirmedAt() {
      asked = true
      if (!ticker.running && !closed) {
        ticker.start()
        tick()
      }
      return session?.listening && stats.live ? confirmed : undefined
    },
    stats: () => ({ ...stats }),
    async close() {
      if (closed) return
      closed = true
      ticker.stop()
      stats.live = false
      confirmed = undefined
      listeners.clear()
      const s = session
      session = undefined
      if (s) {
        s.dead = true
        await Promise.all([s.sql.end({ timeout: 1 }), s.beat.end({ timeout: 1 })]).catch(() => {})
      }
    },
  }
}
