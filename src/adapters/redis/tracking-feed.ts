import type { Redis, RedisOptions } from 'ioredis'
import type { InvalidationFeed, InvalidationFeedStats, InvalidationListener } from '../../ports/invalidation.js'
import { createRedisClient, type RedisTarget } from './connection.js'
import { createTicker } from '../shared/ticker.js'

export interface RedisTrackingFeedOptions {
  /** The same target as the cache (a URL, a URL with Sentinels/TLS, or ioredis options). Not a Cluster. */
  client: string | RedisTarget | RedisOptions
  /**
   * Stored-key prefixes to track (`BCAST PREFIX …`): the near key classes in stored form, plus `<base>#`
   * when hashed keys may be near. Rate-limit counters stay outside, so their writes cost no messages.
   */
  prefixes: readonly string[]
  /** Heartbeat keys live under this stored prefix (never delivered); each feed tracks only its own key. */
  heartbeatPrefix: string
  /** A heartbeat is written this often, ms. Default 10. */
  heartbeatMs?: number
  /** No heartbeat confirmed for this long while connected: the channel is taken as dead and reconnected. Default 5000. */
  reconnectAfterMs?: number
  commandTimeoutMs?: number
  connectTimeoutMs?: number
  now?: () => number
  /** Told when setting up tracking failed (it is retried on the next heartbeat tick). */
  onError?: (err: Error) => void
}

const CHANNEL = '__redis__:invalidate'

/** Redis refuses overlapping BCAST prefixes; one that another covers adds nothing, so it is left out. */
export function disjointPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length)
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q)))
}

/**
 * The InvalidationFeed over Redis client tracking, RESP2 form (ioredis speaks RESP2): one connection
 * SUBSCRIBEs `__redis__:invalidate`, a second runs `CLIENT TRACKING on REDIRECT <first's id> BCAST PREFIX …`
 * and writes the heartbeat. BCAST needs no reads on the tracking connection, so the data connection stays
 * untouched and every write, expiry or eviction under the prefixes by anyone is reported.
 *
 * Heartbeat: the tracking connection SETs its own key; Redis executes commands one at a time and pushes
 * invalidations to the redirect connection in execution order, so when the heartbeat's invalidation
 * arrives, every write acknowledged before the heartbeat was *sent* has been delivered: `confirmedAt` is
 * that send time. One heartbeat is outstanding at a time. Either connection closing or (re)connecting is
 * a flush; tracking is then set up again from scratch (`off`, then `on`) and the feed is live again only
 * once a heartbeat written after that comes back.
 */
export function createRedisTrackingFeed(options: RedisTrackingFeedOptions): InvalidationFeed {
  const now = options.now ?? (() => performance.now())
  const heartbeatMs = options.heartbeatMs ?? 10
  const reconnectAfterMs = options.reconnectAfterMs ?? 5000
  const timeouts = {
    commandTimeoutMs: options.commandTimeoutMs ?? 1000,
    connectTimeoutMs: options.connectTimeoutMs ?? 2000,
    enableAutoPipelining: false,
  }
  const sub = createRedisClient(options.client, timeouts) as Redis
  const tracker = createRedisClient(options.client, timeouts) as Redis
  if (sub.isCluster) throw new TypeError('client tracking per Cluster node is not supported: the near tier is bypassed on a Cluster')
  sub.options.autoResubscribe = false
  const heartbeatKey = `${options.heartbeatPrefix}${crypto.randomUUID()}`
  const listeners = new Set<InvalidationListener>()
  const stats: InvalidationFeedStats = { live: false, invalidations: 0, flushes: 0, heartbeats: 0, reconnects: 0 }
  let confirmed: number | undefined
  /** Bumped on every connection event: a setup or heartbeat of an older generation is void. */
  let generation = 0
  let tracking = false
  let settingUp = false
  /** `confirmedAt()` was called since the last heartbeat was sent. */
  let asked = true
  let outstanding: { sentAt: number; generation: number } | undefined
  let lastProgress = now()
  let closed = false

  function emit(event: Parameters<InvalidationListener>[0]): void {
    for (const l of listeners) l(event)
  }
  /** A flush; `lost` = tracking itself is gone (a connection event) and must be set up again. */
  function broken(reason: string, lost = true): void {
    generation++
    if (lost) tracking = false
    outstanding = undefined
    const wasLive = confirmed !== undefined
    confirmed = undefined
    stats.live = false
    stats.flushes++
    if (wasLive && lost) stats.reconnects++
    emit({ flush: reason })
  }

  async function setup(): Promise<void> {
    const g = generation
    if (closed || settingUp || sub.status !== 'ready' || tracker.status !== 'ready') return
    settingUp = true
    try {
      const id = await sub.client('ID')
      await sub.subscribe(CHANNEL)
      await tracker.client('TRACKING', 'off')
      // Its own heartbeat key only (as a prefix): other instances' heartbeats would cost messages for nothing.
      const args = disjointPrefixes([...options.prefixes, heartbeatKey]).flatMap((p) => ['PREFIX', p])
      await (tracker.client as (...a: (string | number)[]) => Promise<unknown>)('TRACKING', 'on', 'REDIRECT', id, 'BCAST', ...args)
      if (g !== generation) return
      tracking = true
      lastProgress = now()
      heartbeat()
    } catch (err) {
      // A start-up that blocks the event loop can time commands out. The subscriber may be half set up
      // (subscribed, so CLIENT ID is refused): reconnect it, which runs the setup again from scratch.
      // Until then the feed is not live and near copies are bypassed.
      options.onError?.(err as Error)
      if (g === generation && !closed) sub.disconnect(true)
    } finally {
      settingUp = false
    }
  }

  function heartbeat(): void {
    if (closed) return
    // Watchdog: nothing confirmed for reconnectAfterMs while a confirmation was due (a heartbeat outstanding,
    // or tracking not set up). A silent network leaves sockets that neither answer nor close, and a
    // connection stuck in its handshake is never retried by the client: both connections are replaced.
    if ((outstanding || !tracking) && now() - lastProgress > reconnectAfterMs) {
      lastProgress = now()
      sub.disconnect(true)
      tracker.disconnect(true)
      return
    }
    if (!tracking) return void setup()
    // On demand: an instance nobody asked since the last heartbeat (no near reads) sends none. Its next
    // read finds an old confirmation, goes to Redis once, and asks: the tick after confirms again.
    if (!asked && !outstanding) return ticker.stop()
    if (outstanding) return
    asked = false
    outstanding = { sentAt: now(), generation }
    tracker.set(heartbeatKey, String(stats.heartbeats), 'PX', 60_000).catch(() => undefined)
  }

  sub.on('messageBuffer', (channel: Buffer, message: Buffer[] | Buffer | null) => {
    if (channel.toString() !== CHANNEL) return
    // A nil message: a FLUSHALL/FLUSHDB (of any database). Tracking stays in place; the next heartbeat confirms.
    if (message === null) return broken('server flushed', false)
    const keys: string[] = []
    for (const raw of Array.isArray(message) ? message : [message]) {
      const key = raw.toString()
      if (key === heartbeatKey) {
        if (outstanding && outstanding.generation === generation && tracking) {
          confirmed = outstanding.sentAt
          stats.live = true
          stats.heartbeats++
          lastProgress = now()
          outstanding = undefined
        }
      } else if (!key.startsWith(options.heartbeatPrefix)) keys.push(key)
    }
    if (keys.length > 0) {
      stats.invalidations += keys.length
      emit({ keys })
    }
  })
  for (const c of [sub, tracker]) {
    c.on('error', () => undefined)
    c.on('close', () => broken('invalidation channel closed'))
    c.on('ready', () => {
      broken('invalidation channel (re)connected')
      void setup()
    })
  }
  // The tick stops while nobody asks and restarts on the next ask; time idle is not silence.
  const ticker = createTicker(heartbeat, heartbeatMs, () => (lastProgress = now()))
  ticker.start()

  return {
    name: 'redis-tracking',
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    confirmedAt: () => {
      asked = true
      if (!ticker.running && !closed) {
        ticker.start()
        heartbeat()
      }
      return confirmed
    },
    stats: () => ({ ...stats, live: confirmed !== undefined }),
    async close() {
      if (closed) return
      closed = true
      ticker.stop()
      listeners.clear()
      confirmed = undefined
      sub.disconnect()
      tracker.disconnect()
    },
  }
}
