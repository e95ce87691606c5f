import { ConflictError } from '../../domain/errors.js'
import type { NewUser, User, UserStore } from '../../ports/users.js'

/** Users in a process-local map (the embedded default). Returns copies, so callers cannot mutate the store. */
export function createMemoryUserStore(): UserStore {
  const byId = new Map<string, User>()
  const idByName = new Map<string, string>()
  const copy = (u: User | undefined) => (u ? { ...u } : undefined)

  function insert(user: NewUser): User {
    const created: User = { id: crypto.randomUUID(), ...user }
    byId.set(created.id, created)
    idByName.set(created.username, created.id)
    return { ...created }
  }

  return {
    async findByUsername(username) {
      const id = idByName.get(username)
      return id === undefined ? undefined : copy(byId.get(id))
    },
    async findById(id) {
      return copy(byId.get(id))
    },
    async create(user) {
      if (idByName.has(user.username)) throw new ConflictError(`Username "${user.username}" is taken`)
      return insert(user)
    },
    async setPassword(id, passwordHash) {
      const u = byId.get(id)
      if (!u) return false
      u.passwordHash = passwordHash
      return true
    },
    async upsert(user) {
      const id = idByName.get(user.username)
      const existing = id === undefined ? undefined : byId.get(id)
      if (!existing) return insert(user)
      existing.role = user.role
      existing.passwordHash = user.passwordHash
      return { ...existing }
    },
    async list() {
      return [...byId.values()].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)).map((u) => ({ ...u }))
    },
  }
}
