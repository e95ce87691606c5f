import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { RedisTlsMaterial } from './connection.js'

/** Which file a problem is about: the caller names the variable that points at it. */
export type TlsFileRole = 'ca' | 'cert' | 'key'

export class TlsFileError extends Error {
  constructor(
    readonly role: TlsFileRole,
    readonly path: string,
    problem: string,
  ) {
    super(`cannot use "${path}": ${problem}`)
    this.name = 'TlsFileError'
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a directory, not a file',
}

function readText(role: TlsFileRole, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    throw new TlsFileError(role, path, REASONS[code] ?? `unreadable (${code || (err as Error).message})`)
  }
}

function certificate(role: TlsFileRole, path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch {
    throw new TlsFileError(role, path, 'not a PEM certificate')
  }
}

function privateKey(path: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem)
  } catch {
    throw new TlsFileError('key', path, 'not a PEM private key (or one protected by a passphrase)')
  }
}

/**
 * Reads the PEM files of a TLS Redis connection once, at start, and checks what ioredis would only find at
 * the first handshake (then as a connection error, indistinguishable from an unreachable server): each file
 * parses as what it should be, and the client key belongs to the client certificate. File contents never
 * appear in errors.
 */
export function readRedisTlsFiles(paths: Partial<Record<TlsFileRole, string>>): RedisTlsMaterial {
  const material: RedisTlsMaterial = {}
  if (paths.ca !== undefined) {
    material.ca = readText('ca', paths.ca)
    certificate('ca', paths.ca, material.ca)
  }
  if (paths.cert !== undefined && paths.key !== undefined) {
    material.cert = readText('cert', paths.cert)
    material.key = readText('key', paths.key)
    const cert = certificate('cert', paths.cert, material.cert)
    if (!cert.checkPrivateKey(privateKey(paths.key, material.key))) {
      throw new TlsFileError('key', paths.key, `not the key of the client certificate "${paths.cert}"`)
    }
  }
  return material
}
