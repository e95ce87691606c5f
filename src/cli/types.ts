import type { Config } from '../config.js'

export interface CliCommand {
  summary: string
  /** Resolves with the process exit code. */
  run(args: string[], config: Config): Promise<number>
}
