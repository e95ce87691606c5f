import { describe, expect, it } from 'vitest'
import { formatIp, inCidr, ipGroup, normaliseIp, parseCidr, parseIp } from './ip.js'

describe('normaliseIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4 ', '1.2.3.4'],
    ['1.2.3.4:5678', '1.2.3.4'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:a01:203', '10.1.2.3'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseIp(input)).toBe(expected)
  })

  it.each([
    '',
    'unknown',
    '1.2.3',
    '1.2.3.256',
    '01.2.3.4',
    '1.2.3.4.5',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::1',
    '[::1',
    '[::1]x',
    'g::1',
    '1.2.3.4, 5.6.7.8',
    'x'.repeat(100),
  ])('rejects %j', (input) => {
    expect(parseIp(input)).toBeUndefined()
  })
})

describe('ipGroup', () => {
  it('keeps IPv4 addresses whole', () => {
    expect(ipGroup('203.0.113.9')).toBe('203.0.113.9')
    expect(ipGroup('::ffff:203.0.113.9')).toBe('203.0.113.9')
  })

  it('groups IPv6 by /64, whatever the spelling of the interface id', () => {
    const a = ipGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd')
    expect(a).toBe('2001:db8:1:2::/64')
    expect(ipGroup('2001:0DB8:0001:0002::1')).toBe(a)
    expect(ipGroup('2001:db8:1:3::1')).not.toBe(a)
    expect(ipGroup('2001:db8::1')).toBe('2001:db8::/64')
  })

  it('passes non-addresses through', () => {
    expect(ipGroup('unknown')).toBe('unknown')
  })
})

describe('CIDR', () => {
  it('matches inside and outside the range', () => {
    const r = parseCidr('172.16.0.0/12')
    expect(inCidr(parseIp('172.31.255.255')!, r)).toBe(true)
    expect(inCidr(parseIp('172.32.0.1')!, r)).toBe(false)
    const u = parseCidr('fc00::/7')
    expect(inCidr(parseIp('fd12:3456::1')!, u)).toBe(true)
    expect(inCidr(parseIp('fe00::1')!, u)).toBe(false)
    expect(inCidr(parseIp('10.0.0.1')!, u)).toBe(false)
  })

  it('treats a bare address as a single host and /0 as everything of that family', () => {
    expect(inCidr(parseIp('10.0.0.1')!, parseCidr('10.0.0.1'))).toBe(true)
    expect(inCidr(parseIp('10.0.0.2')!, parseCidr('10.0.0.1'))).toBe(false)
    expect(inCidr(parseIp('8.8.8.8')!, parseCidr('0.0.0.0/0'))).toBe(true)
  })

  it.each(['10.0.0.0/33', '::/129', 'nope/8', '10.0.0.0/8/1', '10.0.0.0/x'])('rejects %j', (text) => {
    expect(() => parseCidr(text)).toThrow(TypeError)
  })

  it('formats what it parses', () => {
    expect(formatIp(parseIp('0:0:0:0:0:0:0:0')!)).toBe('::')
  })
})
