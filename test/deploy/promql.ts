/** Just enough PromQL reading to list the metrics (and label matchers) an expression names. */

export interface MetricUse {
  metric: string
  /** Label names in this selector's matchers (`{route="/x", status=~"5.."}` → route, status). */
  labels: string[]
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right'])

export function metricsIn(expr: string): MetricUse[] {
  const uses: MetricUse[] = []
  const text = expr
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // grouping label lists
    .replace(/\[[^\]]*\]/g, ' ') // range selectors, Grafana's $__rate_interval
  const token = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\})?|"(?:[^"\\]|\\.)*"|\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\}/g
  for (const m of text.matchAll(token)) {
    const name = m[1]
    if (!name) continue // a string literal or a bare matcher
    const after = text.slice(m.index! + m[0].length)
    if (!m[2] && /^\s*\(/.test(after)) continue // a function or an aggregation
    if (KEYWORDS.has(name) || /^\d/.test(name)) continue
    const labels = m[2] ? [...m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!) : []
    uses.push({ metric: name, labels })
  }
  return uses
}

/** The `expr:` values of a Prometheus rules file (single line or a `|` block), without a YAML library. */
export function ruleExpressions(yaml: string): string[] {
  const lines = yaml.split('\n')
  const out: string[] = []
  lines.forEach((line, i) => {
    const m = /^(\s*)expr:\s*(.*)$/.exec(line)
    if (!m) return
    if (m[2] !== '|' && m[2] !== '>') return void out.push(m[2]!)
    const indent = m[1]!.length
    const block: string[] = []
    for (let j = i + 1; j < lines.length && (lines[j]!.trim() === '' || lines[j]!.search(/\S/) > indent); j++) block.push(lines[j]!)
    out.push(block.join('\n'))
  })
  return out
}

/** Metric name → label names seen, from Prometheus exposition text (histograms also as _bucket/_sum/_count). */
export function exportedMetrics(exposition: string): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>()
  const add = (name: string) => metrics.get(name) ?? metrics.set(name, new Set()).get(name)!
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line)
    if (type) {
      add(type[1]!)
      if (type[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) add(type[1]! + s)
      continue
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line)
    if (!sample) continue
    const labels = add(sample[1]!)
    for (const l of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) labels.add(l[1]!)
  }
  return metrics
}
