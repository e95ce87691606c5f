/**
 * The operators' status page: one self-contained HTML document (inline CSS and script, no font, image or
 * script from anywhere) that polls `status.json` next to it every 2 s. Values are written with
 * `textContent`, never as HTML. Narrow screens get one column.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AHSP API status</title>
<style>
:root { --bg:#f5f6f8; --card:#fff; --ink:#1d232b; --dim:#667085; --ok:#16803c; --bad:#c4320a; --line:#e4e7ec; --accent:#3056d3 }
* { box-sizing:border-box }
body { margin:0; font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--ink) }
header { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:center; padding:.9rem 1.2rem; background:var(--ink); color:#fff }
header h1 { font-size:1.15rem; margin:0; font-weight:600 }
header .meta { color:#c9ced6; font-size:.85rem }
.pill { padding:.15rem .6rem; border-radius:999px; font-weight:700; font-size:.8rem; letter-spacing:.03em }
.pill.ok { background:var(--ok) } .pill.bad { background:var(--bad) } .pill.wait { background:#667085 }
main { padding:1rem; display:grid; gap:1rem; grid-template-columns:repeat(auto-fit,minmax(260px,1fr)); max-width:1280px; margin:0 auto }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:.9rem 1rem }
section h2 { margin:0 0 .6rem; font-size:.8rem; text-transform:uppercase; letter-spacing:.06em; color:var(--dim) }
.big { font-size:1.9rem; font-weight:700; font-variant-numeric:tabular-nums }
dl { display:grid; grid-template-columns:auto 1fr; gap:.25rem .8rem; margin:0 }
dt { color:var(--dim) } dd { margin:0; text-align:right; font-variant-numeric:tabular-nums; font-weight:600 }
.bar { height:8px; background:var(--line); border-radius:4px; overflow:hidden; margin:.3rem 0 .6rem }
.bar i { display:block; height:100%; background:var(--accent); width:0 }
.wide { grid-column:1/-1 }
table { width:100%; border-collapse:collapse; font-variant-numeric:tabular-nums }
th, td { padding:.35rem .5rem; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap }
th:first-child, td:first-child { text-align:left; white-space:normal }
.note { color:var(--dim); font-size:.8rem; margin:.5rem 0 0 }
th { color:var(--dim); font-weight:600; font-size:.8rem }
.scroll { overflow-x:auto }
svg { width:100%; height:60px; display:block }
.bad-text { color:var(--bad) } .ok-text { color:var(--ok) }
#error { display:none; background:#fef3f2; color:var(--bad); border:1px solid #fecdca; padding:.6rem 1rem; margin:1rem 1rem 0; border-radius:8px }
@media (max-width:600px) { main { padding:.6rem; gap:.6rem } .big { font-size:1.6rem } .hide-narrow { display:none } th, td { padding:.3rem .25rem; font-size:.85rem } }
</style>
</head>
<body>
<header>
  <h1>AHSP API status</h1>
  <span id="state" class="pill wait">LOADING</span>
  <span class="meta">updated <span data-k="generatedAt">–</span> · up <span data-k="uptime">–</span> · <span data-k="runtime">–</span></span>
</header>
<div id="error"></div>
<main>
  <section>
    <h2>Cache</h2>
    <div class="big" data-k="cache.hitRatio">–</div>
    <div class="bar"><i id="hitbar"></i></div>
    <dl>
      <dt>configured</dt><dd data-k="cache.backend">–</dd>
      <dt>serving</dt><dd data-k="cache.active">–</dd>
      <dt>degraded</dt><dd data-k="cache.degraded">–</dd>
      <dt>hits / misses</dt><dd><span data-k="cache.hits">–</span> / <span data-k="cache.misses">–</span></dd>
      <dt>errors</dt><dd data-k="cache.errors">–</dd>
      <dt>failovers / recoveries</dt><dd><span data-k="cache.failovers">–</span> / <span data-k="cache.recoveries">–</span></dd>
      <dt>near cache</dt><dd data-k="nearCache">–</dd>
    </dl>
  </section>
  <section>
    <h2>Requests</h2>
    <div class="big"><span data-k="requests.perSecond">–</span> <small>req/s</small></div>
    <svg id="spark" viewBox="0 0 100 30" preserveAspectRatio="none"><polyline id="sparkline" fill="none" stroke="#3056d3" stroke-width="1.5" vector-effect="non-scaling-stroke" points=""/></svg>
    <dl>
      <dt>last <span data-k="requests.windowSeconds">–</span> s</dt><dd data-k="requests.windowTotal">–</dd>
      <dt>since start</dt><dd data-k="requests.total">–</dd>
      <dt>5xx (last min / total)</dt><dd><span data-k="requests.windowErrors">–</span> / <span data-k="requests.serverErrors">–</span></dd>
    </dl>
  </section>
  <section>
    <h2>Rate limits: refused (429)</h2>
    <table><thead><tr><th>policy</th><th>last min</th><th>since start</th></tr></thead><tbody id="limits"></tbody></table>
  </section>
  <section>
    <h2>Sessions and catalog</h2>
    <dl>
      <dt>sessions active</dt><dd data-k="sessions.active">–</dd>
      <dt>catalog jobs</dt><dd data-k="catalog.jobs">–</dd>
      <dt>sources</dt><dd data-k="catalog.sources">–</dd>
      <dt>generation</dt><dd data-k="catalog.generation">–</dd>
    </dl>
  </section>
  <section class="wide">
    <h2>Latency by route (ms; last minute when there is one, else since start)</h2>
    <div class="scroll"><table>
      <thead><tr><th>route</th><th class="hide-narrow">method</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th></tr></thead>
      <tbody id="latency"></tbody>
    </table></div>
    <p class="note">From the request-latency histogram (buckets 1, 5, 10, 25, 50, 100, 250 ms …), interpolated inside a bucket as Prometheus' histogram_quantile does: "&lt;1" is under the first bucket's bound.</p>
  </section>
</main>
<script>
(function () {
  var EVERY_MS = 2000, history = []
  function set(key, value) {
    var els = document.querySelectorAll('[data-k="' + key + '"]')
    for (var i = 0; i < els.length; i++) els[i].textContent = value == null ? '–' : String(value)
  }
  function num(n) { return n == null ? '–' : Number(n).toLocaleString('en-US') }
  function fixed(n) { return n == null ? '–' : Number(n).toFixed(n < 10 ? 2 : 1) }
  function latency(n) { return n == null ? '–' : n < 1 ? '<1' : n < 10 ? n.toFixed(1) : String(Math.round(n)) }
  function duration(s) {
    if (s == null) return '–'
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60)
    return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + m + 'm' : m + 'm ' + (s % 60) + 's'
  }
  function row(tbody, cells) {
    var tr = document.createElement('tr')
    cells.forEach(function (c) { var td = document.createElement('td'); td.textContent = c[0]; if (c[1]) td.className = c[1]; tr.appendChild(td) })
    tbody.appendChild(tr)
  }
  function render(s) {
    var state = document.getElementById('state'), c = s.cache
    var degraded = !c || c.degraded || s.unavailable.length > 0
    state.textContent = !c ? 'CACHE UNREADABLE' : c.degraded ? 'DEGRADED' : s.unavailable.length ? 'PARTIAL' : 'OK'
    state.className = 'pill ' + (degraded ? 'bad' : 'ok')
    set('generatedAt', new Date(s.generatedAt).toLocaleTimeString())
    set('uptime', duration(s.uptimeSeconds)); set('runtime', s.runtime)
    if (c) {
      set('cache.hitRatio', (c.hitRatio * 100).toFixed(1) + ' % hits')
      document.getElementById('hitbar').style.width = (c.hitRatio * 100) + '%'
      set('cache.backend', c.backend); set('cache.active', c.active)
      set('cache.degraded', c.degraded ? 'YES' : 'no')
      set('cache.hits', num(c.hits)); set('cache.misses', num(c.misses)); set('cache.errors', num(c.errors))
      set('cache.failovers', num(c.failovers)); set('cache.recoveries', num(c.recoveries))
    }
    set('nearCache', s.nearCache ? 'on' : 'not built yet')
    var r = s.requests, w = r.window
    set('requests.perSecond', w ? fixed(w.perSecond) : '–')
    set('requests.windowSeconds', w ? w.seconds : '–'); set('requests.windowTotal', w ? num(w.total) : '–')
    set('requests.total', num(r.total)); set('requests.serverErrors', num(r.serverErrors)); set('requests.windowErrors', w ? num(w.serverErrors) : '–')
    if (w) { history.push(w.perSecond); if (history.length > 60) history.shift() }
    var max = Math.max.apply(null, history.concat([1]))
    document.getElementById('sparkline').setAttribute('points', history.map(function (v, i) {
      return (history.length < 2 ? 0 : i * 100 / (history.length - 1)).toFixed(1) + ',' + (29 - v * 28 / max).toFixed(1)
    }).join(' '))
    var limits = document.getElementById('limits'); limits.textContent = ''
    var policies = Object.keys(s.rateLimits.rejections).sort()
    if (!policies.length) row(limits, [['none refused yet'], [''], ['']])
    policies.forEach(function (p) {
      var recent = s.rateLimits.windowRejections ? s.rateLimits.windowRejections[p] : null
      row(limits, [[p], [num(recent), recent ? 'bad-text' : ''], [num(s.rateLimits.rejections[p])]])
    })
    set('sessions.active', s.sessions ? num(s.sessions.active) : 'unavailable')
    set('catalog.jobs', s.catalog ? num(s.catalog.jobs) : 'unavailable')
    set('catalog.sources', s.catalog ? num(s.catalog.sources) : '–'); set('catalog.generation', s.catalog ? num(s.catalog.generation) : '–')
    var lat = document.getElementById('latency'); lat.textContent = ''
    s.latency.forEach(function (l) {
      var p = l.window && l.window.count > 0 ? l.window : l
      // A break opportunity after each '/', so long routes wrap between segments on a phone.
      var route = l.route.split('/').join('/\u200b')
      row(lat, [[route], [l.method, 'hide-narrow'], [num(p.count)], [latency(p.p50Ms)], [latency(p.p95Ms)], [latency(p.p99Ms), p.p99Ms > 1000 ? 'bad-text' : '']])
    })
  }
  function tick() {
    fetch('status.json', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (res) { if (!res.ok) throw new Error('status.json answered ' + res.status); return res.json() })
      .then(function (s) { document.getElementById('error').style.display = 'none'; render(s) })
      .catch(function (err) {
        var e = document.getElementById('error'); e.style.display = 'block'; e.textContent = err.message + ' — retrying every ' + EVERY_MS / 1000 + ' s'
        var state = document.getElementById('state'); state.textContent = 'UNREACHABLE'; state.className = 'pill bad'
      })
      .then(function () { setTimeout(tick, EVERY_MS) })
  }
  tick()
})()
</script>
</body>
</html>
`
