import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The hexagon's dependency rules, enforced on the source text: the core (ports, domain, use cases, http)
 * imports only ports/domain and Web-standard APIs, so it runs unchanged on Node, Bun and edge runtimes;
 * only the composition root, entry points and CLI import adapters.
 */
const root = join(import.meta.dirname, '..', 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  )
}

const all = files(root).map((f) => ({ file: relative(root, f), imports: imports(f), text: readFileSync(f, 'utf8') }))
const core = all.filter((f) => /^(ports|domain|use-cases|http)\//.test(f.file))
const NODE_ONLY = /^(node:|ioredis$|postgres$|fs$|net$|crypto$|path$|zlib$|@hono\/node-server)/

describe('architecture', () => {
  it('finds the core', () => {
    expect(core.length).toBeGreaterThan(5)
  })

  it('core modules import no Node built-ins, drivers or runtime adapters', () => {
    const bad = core.flatMap((f) => f.imports.filter((i) => NODE_ONLY.test(i)).map((i) => `${f.file} → ${i}`))
    expect(bad).toEqual([])
  })

  it('core modules never import adapters, composition, config readers or entry points', () => {
    const bad = core.flatMap((f) =>
      f.imports.filter((i) => /\/(adapters|composition|cli)\/|\/main\.\w+/.test(i)).map((i) => `${f.file} → ${i}`),
    )
    expect(bad).toEqual([])
  })

  it('core modules do not touch process, Buffer or require', () => {
    const bad = core
      .filter((f) => !f.file.endsWith('.test.ts'))
      .flatMap((f) => [...f.text.matchAll(/\b(process\.|Buffer\.|require\()/g)].map((m) => `${f.file}: ${m[1]}`))
    expect(bad).toEqual([])
  })

  it('ports depend on nothing but other ports and the domain', () => {
    const bad = all
      .filter((f) => f.file.startsWith('ports/'))
      .flatMap((f) => f.imports.filter((i) => !/^\.\.?\/(.*\/)?(ports|domain)\/|^\.\/[\w-]+\.js$/.test(i) && !i.startsWith('./')).map((i) => `${f.file} → ${i}`))
    expect(bad).toEqual([])
  })

  it('adapters never import use cases: they implement ports with shared pure helpers (domain/)', () => {
    const bad = all
      .filter((f) => f.file.startsWith('adapters/'))
      .flatMap((f) => f.imports.filter((i) => /\/use-cases\//.test(i)).map((i) => `${f.file} → ${i}`))
    expect(bad).toEqual([])
  })

  it('ports are declared in src/ports only: no use case declares an interface an adapter implements', () => {
    // The search engine port used to live in a use case; a port elsewhere is found by its adapters'
    // imports, so "no adapter imports a use case" (above) covers it. The domain holds pure helpers only.
    const bad = all
      .filter((f) => f.file.startsWith('domain/'))
      .flatMap((f) => f.imports.filter((i) => /\/(use-cases|http|adapters)\//.test(i)).map((i) => `${f.file} → ${i}`))
    expect(bad).toEqual([])
  })

  it('adapters never import http or the composition root', () => {
    const bad = all
      .filter((f) => f.file.startsWith('adapters/'))
      .flatMap((f) => f.imports.filter((i) => /\/(http|composition)\//.test(i)).map((i) => `${f.file} → ${i}`))
    expect(bad).toEqual([])
  })

  it('http code answers through the context (c.json, c.body, …), never a Response of its own', () => {
    // Headers that middleware set with c.header() before next() (ours and stock Hono's, e.g. hono/request-id)
    // are merged by c.json()/c.body(); a handler's own `new Response()` would drop them.
    const bad = all
      .filter((f) => f.file.startsWith('http/') && !f.file.endsWith('.test.ts'))
      .flatMap((f) => [...f.text.matchAll(/\breturn new Response\(|\bc\.res = new Response\(/g)].map((m) => `${f.file}: ${m[0]}`))
    expect(bad).toEqual([])
  })

  it('http code constructs nothing: no create* from use cases or adapters (the composition root builds them)', () => {
    const bad = all
      .filter((f) => f.file.startsWith('http/') && !f.file.endsWith('.test.ts'))
      .flatMap((f) =>
        [...f.text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]([^'"]*\/use-cases\/[^'"]*)['"]/g)].flatMap(([, names, from]) =>
          names!.split(',').map((n) => n.trim()).filter((n) => /^create[A-Z]/.test(n)).map((n) => `${f.file}: ${n} from ${from}`),
        ),
      )
    expect(bad).toEqual([])
  })

  it('unit tests (beside the code in src/) need no service: no driver, no server or service helper', () => {
    const bad = all
      .filter((f) => f.file.endsWith('.test.ts'))
      .flatMap((f) =>
        f.imports.filter((i) => /^(ioredis|postgres)$|helpers\/(services|redis-server|redis-cluster|tcp-gate|server-process)\.js$/.test(i)).map((i) => `${f.file} → ${i}`),
      )
    expect(bad).toEqual([])
  })

  it('the workerd entry point and the embedded composition reach no Node built-in or driver, to the leaves', () => {
    // esbuild bundles what is imported, used or not: one `node:` import anywhere below breaks the workerd build.
    const byFile = new Map(all.map((f) => [f.file, f]))
    const seen = new Set<string>()
    const bad: string[] = []
    const visit = (file: string, via: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const f = byFile.get(file)
      if (!f) return
      // `import type` is erased by the build: only value imports are bundled.
      const values = [...f.text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!)
      for (const i of values) {
        if (NODE_ONLY.test(i)) bad.push(`${via} → ${file} → ${i}`)
        else if (i.startsWith('.') && !i.endsWith('.gz')) visit(relative(root, join(root, file, '..', i.replace(/\.js$/, '.ts'))), file)
      }
    }
    visit('main.workerd.ts', 'entry')
    // The walk itself is checked: it reaches the embedded composition, and would see the full one's drivers.
    expect(seen.has('composition/embedded.ts')).toBe(true)
    expect(seen.has('composition/index.ts')).toBe(false)
    expect(seen.size).toBeGreaterThan(50)
    expect(bad).toEqual([])
  })

  it('entry points are src/main.<runtime>.ts, one per runtime, each started by its npm script', () => {
    const entries = all.map((f) => f.file).filter((f) => /^main\.\w+\.ts$/.test(f)).sort()
    expect(entries).toEqual(['main.bun.ts', 'main.deno.ts', 'main.node.ts', 'main.workerd.ts'])
    const scripts = (JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
    expect(scripts.build).toContain('src/main.node.ts')
    expect(scripts['start:bun']).toContain('src/main.bun.ts')
    expect(scripts['start:deno']).toContain('src/main.deno.ts')
    expect(scripts['build:workerd']).toContain('src/main.workerd.ts')
    // Production starts compiled JavaScript on plain node; `exec` lets npm's forwarded SIGTERM reach the server.
    expect(scripts.start).toMatch(/^exec node .*dist\/node\/main\.js$/)
    expect(scripts['start:deno']).toMatch(/^exec /)
  })

  it('only config.ts reads the environment', () => {
    const bad = all
      .filter((f) => !/^(config|main\.(node|bun|deno)|cli\/index|adapters\/process\/config-from-env)\.ts$/.test(f.file) && !f.file.endsWith('.test.ts'))
      .filter((f) => /process\.env/.test(f.text))
      .map((f) => f.file)
    expect(bad).toEqual([])
  })
})
