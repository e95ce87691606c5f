import type { Config } from '../config.js'
import { AppError } from '../domain/errors.js'
import { createJsonLogger } from '../adapters/log/json-logger.js'
import { createPgClient } from '../adapters/sql/client.js'
import { createActivationRelay, createAuthComponents, type AuthComponents } from '../composition/auth.js'
import { createCacheFromConfig } from '../composition/cache.js'
import { readPasswordFromStdin } from './read-password.js'
import { parseCommandArgs } from './args.js'
import type { CliCommand } from './types.js'

export interface UserCliIo {
  /** The password, from stdin. */
  readPassword(): Promise<string>
  out(line: string): void
  err(line: string): void
}

const processIo: UserCliIo = {
  readPassword: () => readPasswordFromStdin(),
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
}

/**
 * `users` commands. They act on the PostgreSQL stores (and the configured cache, so a logout reaches running
 * servers at once); without `DATABASE_URL` users live inside the server process and the CLI cannot reach them.
 */
export function createUserCommands(io: UserCliIo = processIo): Record<string, CliCommand> {
  async function withAuth(config: Config, fn: (auth: AuthComponents) => Promise<number>): Promise<number> {
    if (!config.databaseUrl) {
      io.err('DATABASE_URL is not set: users live in the server process (use ADMIN_USERNAME/ADMIN_PASSWORD)')
      return 2
    }
    const logger = createJsonLogger({ level: config.logLevel, write: (l) => io.err(l) })
    const sql = createPgClient(config.databaseUrl, { max: 2, prepare: config.databasePrepare })
    const activation = createActivationRelay()
    const cache = await createCacheFromConfig(config, logger, activation)
    try {
      const auth = await createAuthComponents(config, logger, cache, sql, { skipAdminBootstrap: true, activation })
      try {
        return await fn(auth)
      } finally {
        await auth.close()
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      io.err(`error: ${err.message}`)
      return 1
    } finally {
      await cache.close()
      await sql.end({ timeout: 5 })
    }
  }

  /** The one positional argument, or a usage line and exit code 2. */
  function username(args: string[], usage: string): string | undefined {
    const { positionals: positional } = parseCommandArgs(args, { admin: { type: 'boolean', default: false } })
    if (positional.length !== 1) {
      io.err(`usage: ${usage}`)
      return undefined
    }
    return positional[0]
  }

  return {
    create: {
      summary: 'create <username> [--admin]: new user, password read from stdin',
      async run(args, config) {
        const name = username(args, 'users create <username> [--admin]  (password on stdin)')
        if (name === undefined) return 2
        const role = parseCommandArgs(args, { admin: { type: 'boolean', default: false } }).values.admin ? 'admin' : 'user'
        const password = await io.readPassword()
        return withAuth(config, async ({ accounts }) => {
          const user = await accounts.create(name, password, role)
          io.out(`created ${role} ${user.username} (${user.id})`)
          return 0
        })
      },
    },
    passwd: {
      summary: 'passwd <username>: set a new password (from stdin) and end that user\'s sessions',
      async run(args, config) {
        const name = username(args, 'users passwd <username>  (password on stdin)')
        if (name === undefined) return 2
        const password = await io.readPassword()
        return withAuth(config, async ({ accounts }) => {
          const { sessionsEnded } = await accounts.setPassword(name, password)
          io.out(`password changed for ${name}; ${sessionsEnded} session(s) ended`)
          return 0
        })
      },
    },
    'logout-all': {
      summary: 'logout-all <username>: end every session of that user on every instance',
      async run(args, config) {
        const name = username(args, 'users logout-all <username>')
        if (name === undefined) return 2
        return withAuth(config, async ({ accounts }) => {
          io.out(`${await accounts.logoutEverywhere(name)} session(s) ended for ${name}`)
          return 0
        })
      },
    },
    'prune-sessions': {
      summary: 'delete expired sessions from the store (servers also do it every 10 minutes)',
      run: (_args, config) =>
        withAuth(config, async ({ sessions }) => {
          io.out(`${await sessions.prune()} expired session(s) removed`)
          return 0
        }),
    },
    list: {
      summary: 'list users (username, role, id)',
      run: (_args, config) =>
        withAuth(config, async ({ users }) => {
          for (const u of await users.list()) io.out(`${u.username}\t${u.role}\t${u.id}`)
          return 0
        }),
    },
  }
}

export const userCommands: Record<string, CliCommand> = createUserCommands()
