import type { CliCommand } from './types.js'

export const catalogCommands: Record<string, CliCommand> = {}
