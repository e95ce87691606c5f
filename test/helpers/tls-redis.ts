import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startOwnRedis, type OwnRedis, type ServerBinary } from './redis-server.js'

const run = promisify(execFile)

/** PEM file paths made by `makeCertificates`. */
export interface TestCertificates {
  dir: string
  /** The private CA that signed the server and client certificates. */
  ca: string
  /** A second CA that signed nothing here: the "wrong CA". */
  otherCa: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  remove(): void
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

async function selfSigned(dir: string, name: string): Promise<void> {
  await run('openssl', ['req', '-x509', ...EC, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), '-days', '2', '-subj', `/CN=${name}`])
}

async function signed(dir: string, name: string, ext: string): Promise<void> {
  const extFile = join(dir, `${name}.ext`)
  writeFileSync(extFile, `${ext}\n`)
  await run('openssl', ['req', ...EC, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${name}`])
  await run('openssl', [
    'x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'),
    '-set_serial', String(Date.now()), '-days', '2', '-extfile', extFile, '-out', join(dir, `${name}.crt`),
  ])
}

/**
 * A private CA, a server certificate it signed (for 127.0.0.1 and localhost), a client certificate it
 * signed (for mutual TLS), and an unrelated CA — all made with `openssl` in a temp dir (EC P-256, 2 days).
 */
export async function makeCertificates(): Promise<TestCertificates> {
  const dir = mkdtempSync(join(tmpdir(), 'ahsp-tls-'))
  await Promise.all([selfSigned(dir, 'ca'), selfSigned(dir, 'other-ca')])
  await Promise.all([
    signed(dir, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'),
    signed(dir, 'client', 'extendedKeyUsage=clientAuth'),
  ])
  const f = (name: string) => join(dir, name)
  return {
    dir,
    ca: f('ca.crt'),
    otherCa: f('other-ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The certificate arguments of a TLS server (also used by replicas and Sentinels to connect out). */
export function tlsServerArgs(certs: TestCertificates, authClients: boolean): string[] {
  return [
    '--tls-cert-file', certs.serverCert, '--tls-key-file', certs.serverKey, '--tls-ca-cert-file', certs.ca,
    '--tls-auth-clients', authClients ? 'yes' : 'no', '--dir', certs.dir,
  ]
}

/** A TLS-only server (`--port 0`, `--tls-port`) with the test certificates; `authClients`: demand a client certificate. */
export function startTlsRedis(certs: TestCertificates, authClients: boolean, server: ServerBinary = 'redis-server'): Promise<OwnRedis> {
  return startOwnRedis(tlsServerArgs(certs, authClients), server, { tlsOnly: true })
}
