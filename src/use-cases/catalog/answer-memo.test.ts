import { describe, expect, it } from 'vitest'
import { createAnswerMemo } from './answer-memo.js'

describe('answer memo', () => {
  it('bounds entries and characters, oldest out first', () => {
    const c = createAnswerMemo(2, 60, { maxChars: 10 })
    const e = (json: string) => ({ generation: 1, json })
    c.set('a', e('1234'))
    c.set('b', e('1234'))
    c.set('c', e('12'))
    expect([c.get('a'), c.get('b')?.json, c.get('c')?.json]).toEqual([undefined, '1234', '12'])
    c.set('d', e('123456'))
    expect([c.get('b'), c.get('c')?.json, c.get('d')?.json]).toEqual([undefined, '12', '123456'])
    c.set('e', e('x'.repeat(11)))
    expect(c.get('e')).toBeUndefined()
  })

  it('counts an entry\'s encoded bytes in the character bound', () => {
    const c = createAnswerMemo(10, 60, { maxChars: 10 })
    const bytes = new TextEncoder().encode('1234')
    c.set('a', { generation: 1, json: '1234', bytes })
    c.set('b', { generation: 1, json: '12' })
    expect([c.get('a')?.bytes, c.get('b')?.json]).toEqual([bytes, '12'])
    c.set('c', { generation: 1, json: '12' })
    expect([c.get('a'), c.get('b')?.json, c.get('c')?.json]).toEqual([undefined, '12', '12'])
    c.set('d', { generation: 1, json: '123456', bytes: new TextEncoder().encode('123456') })
    expect(c.get('d')).toBeUndefined()
  })

  it('expires entries after the TTL; 0 entries or TTL 0 disables it', () => {
    let t = 0
    const c = createAnswerMemo(10, 1, { now: () => t })
    c.set('a', { generation: 1, json: 'v' })
    t = 999
    expect(c.get('a')?.json).toBe('v')
    t = 1000
    expect(c.get('a')).toBeUndefined()
    for (const off of [createAnswerMemo(0, 60), createAnswerMemo(10, 0)]) {
      off.set('a', { generation: 1, json: 'v' })
      expect(off.get('a')).toBeUndefined()
    }
  })
})
