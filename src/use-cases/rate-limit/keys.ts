import { ipGroup } from '../../domain/ip.js'
import { sha256Hex } from '../../domain/sha256.js'

/**
 * Who a request counts against: the user id when a session exists, else the client address grouped
 * (IPv6 by /64). The `u:`/`ip:` tags keep the two spaces apart; the id is URI-encoded so no id can
 * imitate an address key.
 */
export function clientKey(userId: string | undefined, clientIp: string): string {
  return userId !== undefined ? `u:${encodeURIComponent(userId)}` : `ip:${ipGroup(clientIp)}`
}

/** The form of a username that one person cannot vary to get fresh counters: NFKC, trimmed, lowercase. */
export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

/**
 * A fixed-length, collision-resistant key part for a username (SHA-256 hex of its normalised form):
 * arbitrary input (colons, newlines, megabytes) cannot reach into another key, and usernames do not
 * appear in the cache in clear.
 */
export function usernameKey(username: string): string {
  return sha256Hex(normaliseUsername(username))
}
