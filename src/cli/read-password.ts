/**
 * Reads a password from stdin, never from argv (argv shows in `ps` and shell history).
 * A terminal gets a prompt on stderr and no echo; a pipe (`printf 'pw\n' | npm run cli -- users passwd bob`)
 * is read to its end and its first line taken.
 */
export async function readPasswordFromStdin(prompt = 'Password: '): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const chunk of stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
  }
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = ''
      const onData = (chars: string) => {
        for (const ch of chars) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData)
            process.stderr.write('\n')
            return resolve(value)
          }
          if (ch === '\u0003') {
            stdin.off('data', onData)
            process.stderr.write('\n')
            return reject(new Error('cancelled'))
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
          else value += ch
        }
      }
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
  }
}
