import { ConfigError, loadConfig, type Config } from '../../config.js'

/**
 * The configuration of this process (`process.env` on Node and Bun). A malformed variable ends the
 * process with the one-line reason and `exitCode`; anything else is a bug and is thrown.
 */
export function configFromEnvOrExit(exitCode = 1): Config {
  try {
    return loadConfig(process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(err.message + '\n')
    process.exit(exitCode)
  }
}
