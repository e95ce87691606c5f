import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../types.js'
import { clientIp, UNKNOWN_CLIENT, type ClientIpOptions } from './index.js'

// The peer comes from the runtime; here the test passes it through `env`, as a runtime would.
const fromEnv = (c: { env: unknown }) => (c.env as { peer?: string } | undefined)?.peer

function app(options: Partial<ClientIpOptions> = {}) {
  const a = new Hono<AppEnv>()
  a.use(clientIp({ trustProxy: false, getPeerAddress: fromEnv, ...options }))
  a.get('/', (c) => c.text(c.var.clientIp))
  return a
}

async function ipOf(a: Hono<AppEnv>, peer: string | undefined, xff?: string): Promise<string> {
  const res = await a.request('/', { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }, { peer })
  return res.text()
}

describe('clientIp without TRUST_PROXY', () => {
  it('uses the peer address, normalised', async () => {
    expect(await ipOf(app(), '::ffff:198.51.100.7')).toBe('198.51.100.7')
    expect(await ipOf(app(), '2001:DB8:0:0::9')).toBe('2001:db8::9')
  })

  it('ignores a spoofed X-Forwarded-For', async () => {
    expect(await ipOf(app(), '198.51.100.7', '1.1.1.1')).toBe('198.51.100.7')
    expect(await ipOf(app(), '127.0.0.1', '1.1.1.1')).toBe('127.0.0.1')
  })

  it(`falls back to "${UNKNOWN_CLIENT}" when the runtime reports no peer`, async () => {
    expect(await ipOf(app(), undefined, '1.1.1.1')).toBe(UNKNOWN_CLIENT)
    const throwing = app({
      getPeerAddress: () => {
        throw new TypeError('no incoming socket')
      },
    })
    expect(await ipOf(throwing, undefined)).toBe(UNKNOWN_CLIENT)
    expect(await ipOf(app({ getPeerAddress: undefined }), undefined)).toBe(UNKNOWN_CLIENT)
  })
})

describe('clientIp with TRUST_PROXY', () => {
  const trusting = app({ trustProxy: true })

  it('takes the right-most hop that is not a trusted proxy, never the forgeable left-most one', async () => {
    // client forged "6.6.6.6"; the edge proxy appended the real address; an inner proxy appended its own
    expect(await ipOf(trusting, '10.0.0.2', '6.6.6.6, 203.0.113.5, 10.0.0.1')).toBe('203.0.113.5')
    expect(await ipOf(trusting, '127.0.0.1', '6.6.6.6,203.0.113.5')).toBe('203.0.113.5')
  })

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    expect(await ipOf(trusting, '198.51.100.7', '203.0.113.5')).toBe('198.51.100.7')
  })

  it('uses the header when the runtime reports no peer (app.request)', async () => {
    expect(await ipOf(trusting, undefined, '6.6.6.6, 203.0.113.5')).toBe('203.0.113.5')
  })

  it('stops at a malformed hop and keeps the last trusted proxy', async () => {
    expect(await ipOf(trusting, '10.0.0.2', 'garbage, 10.0.0.1')).toBe('10.0.0.1')
    expect(await ipOf(trusting, '10.0.0.2', '203.0.113.5, garbage')).toBe('10.0.0.2')
  })

  it('takes the farthest hop when every hop is trusted, and the peer without a header', async () => {
    expect(await ipOf(trusting, '10.0.0.2', '192.168.1.9, 10.0.0.1')).toBe('192.168.1.9')
    expect(await ipOf(trusting, '10.0.0.2')).toBe('10.0.0.2')
  })

  it('reads hops with ports and brackets, and folds IPv4-mapped IPv6', async () => {
    expect(await ipOf(trusting, '::1', '[2001:db8::7]:4711')).toBe('2001:db8::7')
    expect(await ipOf(trusting, '::ffff:127.0.0.1', '203.0.113.5:1234')).toBe('203.0.113.5')
  })

  it('believes only the configured proxies when a list is given', async () => {
    const strict = app({ trustProxy: true, trustedProxies: ['203.0.113.0/24'] })
    expect(await ipOf(strict, '203.0.113.1', '6.6.6.6, 10.0.0.9')).toBe('10.0.0.9')
    expect(await ipOf(strict, '10.0.0.2', '6.6.6.6')).toBe('10.0.0.2')
  })

  it('rejects a malformed trusted-proxy list at construction', () => {
    expect(() => clientIp({ trustProxy: true, trustedProxies: ['10.0.0.0/40'] })).toThrow(TypeError)
  })
})
