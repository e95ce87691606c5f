import { configFromEnvOrExit } from '../adapters/process/config-from-env.js'
import { cacheCommands } from './cache.js'
import { userCommands } from './users.js'
import { catalogCommands } from './catalog.js'
import type { CliCommand } from './types.js'
import { UsageError } from './args.js'

/**
 * `npm run cli -- <group> <command> [args]`, e.g. `npm run cache -- ping`.
 * Each group lives in its own file and exports a record of commands.
 */
const groups: Record<string, Record<string, CliCommand>> = {
  cache: cacheCommands,
  users: userCommands,
  catalog: catalogCommands,
}

function usage(): string {
  const lines = ['usage: npm run cli -- <group> <command> [args]', '']
  for (const [g, cmds] of Object.entries(groups)) {
    for (const [name, cmd] of Object.entries(cmds)) lines.push(`  ${g} ${name.padEnd(14)} ${cmd.summary}`)
  }
  return lines.join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [group, name, ...args] = argv
  const cmd = group && name ? groups[group]?.[name] : undefined
  if (!cmd) {
    const unknown = !group ? '' : !groups[group] ? `unknown command: ${group}\n` : name ? `unknown command: ${group} ${name}\n` : ''
    process.stderr.write(unknown + usage() + '\n')
    return 2
  }
  try {
    return await cmd.run(args, configFromEnvOrExit(2))
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`error: ${err.message}\nusage: npm run cli -- ${group} ${name}: ${cmd.summary}\n`)
    return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    process.exit(1)
  },
)
