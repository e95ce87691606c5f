/**
 * An interval that can stop and start again: the heartbeat timer of an invalidation feed, which stops
 * while nobody asks for a confirmation (an idle instance costs no wake-ups and no server work) and starts
 * on the next ask. `onStart` runs at each start (the feeds reset their silence clock: time idle is not
 * silence). Unref'd: it never keeps a process alive.
 */
export interface Ticker {
  start(): void
  stop(): void
  readonly running: boolean
}

export function createTicker(tick: () => void, everyMs: number, onStart: () => void = () => {}): Ticker {
  let timer: ReturnType<typeof setInterval> | undefined
  return {
    start() {
      if (timer !== undefined) return
      onStart()
      timer = setInterval(tick, everyMs)
      timer.unref?.()
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
    get running() {
      return timer !== undefined
    },
  }
}
