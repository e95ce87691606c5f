import { describe, expect, it } from 'vitest'
import { UnprocessableError } from '../../domain/errors.js'
import { decodeEntities, parseXml } from './xml.js'

function events(xml: string): string[] {
  const out: string[] = []
  parseXml(xml, {
    open: (name, attrs, self) => out.push(`<${name}${Object.entries(attrs).map(([k, v]) => ` ${k}=${v}`).join('')}${self ? '/' : ''}>`),
    close: (name) => out.push(`</${name}>`),
    text: (t) => out.push(t),
  })
  return out
}

describe('parseXml', () => {
  it('reads elements, attributes (either quotes, > inside values), text, CDATA; drops namespace prefixes', () => {
    expect(events(`<?xml version="1.0"?><x:a b="1 > 0" c='q"'><!-- no --><b/>t&amp;u<![CDATA[<raw>]]></x:a>`)).toEqual([
      '<a b=1 > 0 c=q">',
      '<b/>',
      '</b>',
      't&u',
      '<raw>',
      '</a>',
    ])
  })

  it('decodes the predefined entities and character references only', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#233;&#xE9;')).toBe(`<>&"'éé`)
    expect(() => decodeEntities('&nbsp;')).toThrow(UnprocessableError)
    expect(() => decodeEntities('&#x110000;')).toThrow(UnprocessableError)
    expect(() => decodeEntities('a & b')).toThrow(UnprocessableError)
  })

  it('refuses any DTD: no external entities (XXE), no entity expansion (billion laughs)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>`
    expect(() => events(xxe)).toThrow(/document type declarations are not allowed/)
    expect(() => events(laughs)).toThrow(UnprocessableError)
  })

  it.each(['<a>', '<a></a></b>', '<a b=1/>', '<a b="1/>', '<a><!-- x</a>', '<a>&amp</a>', '<a <b>'])('rejects malformed %j', (xml) => {
    expect(() => events(xml)).toThrow(UnprocessableError)
  })

  it('stays linear on hostile input (many ampersands, a huge attribute-free tag)', () => {
    expect(() => events(`<a>${'&'.repeat(200_000)}</a>`)).toThrow(UnprocessableError)
    expect(events(`<a${' '.repeat(500_000)}/>`)).toEqual(['<a/>', '</a>'])
  })
})
