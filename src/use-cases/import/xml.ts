import { UnprocessableError } from '../../domain/errors.js'
import { runSync, type Steps } from '../shared/slices.js'

/**
 * A small, strict, streaming (SAX-style) XML reader for the few SpreadsheetML parts an import needs.
 *
 * Safe by construction: a document type declaration (`<!DOCTYPE`, where entities would be declared) is
 * refused, so there is no external entity (XXE) and no entity expansion (billion laughs); only the five
 * predefined entities and numeric character references are decoded. It scans with `indexOf`, linear in
 * the input, with no backtracking regular expressions over untrusted text.
 */
export interface XmlHandler {
  /** An element starts. `name` is the local name (namespace prefix dropped). */
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void
  close?(name: string): void
  /** Character data (entities decoded; CDATA passed through). Called only between open and close. */
  text?(text: string): void
}

function fail(message: string): never {
  throw new UnprocessableError(`Malformed spreadsheet XML: ${message}`)
}

function localName(qname: string): string {
  const colon = qname.indexOf(':')
  return colon === -1 ? qname : qname.slice(colon + 1)
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Decode `&amp;`, `&#233;`, `&#xE9;`; any other entity is an error (no DTD, no custom entities). */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s
  let out = ''
  let from = 0
  for (let amp = s.indexOf('&'); amp !== -1; amp = s.indexOf('&', from)) {
    // Bounded look-ahead: a long run of `&` without `;` must not make this quadratic.
    const window = s.slice(amp, amp + 12).indexOf(';')
    if (window === -1) fail('unterminated entity reference')
    const semi = amp + window
    const ref = s.slice(amp + 1, semi)
    let ch: string | undefined
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      if (!/^#(x[0-9a-f]+|\d+)$/i.test(ref) || !(code >= 0 && code <= 0x10ffff)) fail(`bad character reference &${ref};`)
      ch = String.fromCodePoint(code)
    } else {
      ch = NAMED[ref]
      if (ch === undefined) fail(`undeclared entity &${ref};`)
    }
    out += s.slice(from, amp) + ch
    from = semi + 1
  }
  return out + s.slice(from)
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13
}

/** Attributes of a start tag's inside (after the name), scanned by hand. */
function parseAttributes(s: string): Record<string, string> {
  const attrs: Record<string, string> = Object.create(null)
  let i = 0
  const n = s.length
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++
    if (i >= n) break
    const eq = s.indexOf('=', i)
    if (eq === -1) fail('attribute without a value')
    const name = s.slice(i, eq).trim()
    let q = eq + 1
    while (q < n && isSpace(s.charCodeAt(q))) q++
    const quote = s[q]
    if (quote !== '"' && quote !== "'") fail('unquoted attribute value')
    const end = s.indexOf(quote, q + 1)
    if (end === -1) fail('unterminated attribute value')
    if (!name || /[\s<>"']/.test(name)) fail('bad attribute name')
    attrs[localName(name)] = decodeEntities(s.slice(q + 1, end))
    i = end + 1
  }
  return attrs
}

/** Walk `xml`, calling the handler. Throws `UnprocessableError` on anything malformed. */
export function parseXml(xml: string, handler: XmlHandler): void {
  runSync(scanXml(xml, handler))
}

/** Markup steps between two yields of `scanXml`. */
const STEPS_PER_YIELD = 2048

/** `parseXml` as steps that yield every few thousand tags, for `runSliced` (large worksheets). */
export function* scanXml(xml: string, handler: XmlHandler): Steps<void> {
  let i = 0
  let depth = 0
  let steps = 0
  const n = xml.length
  while (i < n) {
    if (++steps === STEPS_PER_YIELD) {
      steps = 0
      yield
    }
    const lt = xml.indexOf('<', i)
    const textEnd = lt === -1 ? n : lt
    if (textEnd > i && depth > 0 && handler.text) handler.text(decodeEntities(xml.slice(i, textEnd)))
    if (lt === -1) break
    const next = xml.charCodeAt(lt + 1)
    if (next === 63 /* ? */) {
      const end = xml.indexOf('?>', lt + 2)
      if (end === -1) fail('unterminated processing instruction')
      i = end + 2
    } else if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4)
        if (end === -1) fail('unterminated comment')
        i = end + 3
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9)
        if (end === -1) fail('unterminated CDATA section')
        if (depth > 0 && handler.text) handler.text(xml.slice(lt + 9, end))
        i = end + 3
      } else {
        fail('document type declarations are not allowed')
      }
    } else if (next === 47 /* / */) {
      const end = xml.indexOf('>', lt + 2)
      if (end === -1) fail('unterminated end tag')
      depth--
      if (depth < 0) fail('unbalanced end tag')
      handler.close?.(localName(xml.slice(lt + 2, end).trim()))
      i = end + 1
    } else {
      const end = tagEnd(xml, lt + 1)
      const selfClosing = xml.charCodeAt(end - 1) === 47
      const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end)
      let nameEnd = 0
      while (nameEnd < inner.length && !isSpace(inner.charCodeAt(nameEnd))) nameEnd++
      const name = inner.slice(0, nameEnd)
      if (!name) fail('empty tag name')
      const attrs = nameEnd < inner.length ? parseAttributes(inner.slice(nameEnd)) : (Object.create(null) as Record<string, string>)
      handler.open(localName(name), attrs, selfClosing)
      if (selfClosing) handler.close?.(localName(name))
      else depth++
      i = end + 1
    }
  }
  if (depth !== 0) fail('unclosed element')
}

/** Index of the `>` closing a start tag, skipping `>` inside quoted attribute values. One linear scan. */
function tagEnd(xml: string, from: number): number {
  let quote = 0
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i)
    if (quote) {
      if (c === quote) quote = 0
    } else if (c === 34 || c === 39) quote = c
    else if (c === 62) return i
    else if (c === 60) fail('"<" inside a tag')
  }
  fail('unterminated start tag')
}
