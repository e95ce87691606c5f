/**
 * The transport floor for a bench: a bare `node:http` server that reads a request body whole and answers
 * BENCH_BARE_BYTES bytes of JSON-ish text, no framework, no app. What a route costs above it is the app.
 * Prints `ready` once listening.
 */
import { createServer } from 'node:http'

const out = Buffer.alloc(Number(process.env.BENCH_BARE_BYTES ?? 1_000_000), 0x61)
const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    Buffer.concat(chunks)
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': out.length })
    res.end(out)
  })
})
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
