import type { CliCommand } from './types.js'

export const userCommands: Record<string, CliCommand> = {}
