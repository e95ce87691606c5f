import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A command line the command cannot take (unknown option, missing value): exit code 2 with its message. */
export class UsageError extends Error {}

/**
 * `node:util` `parseArgs` for one command's arguments (strict: an unknown option or a missing value is a
 * `UsageError`, which `cli/index.ts` prints with exit code 2). Positionals are allowed; the command checks
 * how many it takes.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}
