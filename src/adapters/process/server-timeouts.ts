/**
 * Connection timeouts of the HTTP listeners, set on purpose rather than left to each runtime's defaults
 * (Node: 60 s for headers, 300 s per request; Bun: 10 s idle). Documented in docs/deployment.md.
 */

/** Node: a client must have sent its whole request head within this (slowloris on headers). */
export const HEADERS_TIMEOUT_MS = 10_000
/** Node: the whole request, body included, must have arrived within this (slowloris on bodies); not the response. */
export const REQUEST_TIMEOUT_MS = 60_000
/**
 * Node: an idle keep-alive connection is closed after this. Behind a load balancer that reuses connections,
 * keep it above the balancer's own idle timeout, or the balancer may send on a socket being closed (a 502).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000
/** Node checks the two request timeouts on this period; its default (30 s) would triple the headers bound. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000

/**
 * Bun: a connection with no traffic for this long is closed — a request head that is not complete by then,
 * and an idle keep-alive connection (Bun enforces it in steps of a few seconds: ~10–14 s measured).
 */
export const BUN_IDLE_TIMEOUT_S = 10
/** Bun: while a handler works on a request (a large import), its connection may stay silent this long. */
export const BUN_HANDLER_TIMEOUT_S = 120
