import type { CliCommand } from './types.js'

export const cacheCommands: Record<string, CliCommand> = {}
