<!DOCTYPE html>
<!-- the home page of ${html(infra_name)}: managed by pig (nginx), made from the inventory at each deploy -->
<html lang="en">
<head>
<meta charset="utf-8">
<title>pig portal: ${html(infra_name)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; font-size: .92em; }
th { background: #f0f0f0; }
.up { color: #1a7f37; } .down { color: #cf222e; font-weight: bold; } .muted { color: #777; }
</style>
</head>
<body>
<h1>pig portal: ${html(infra_name)} (${html(infra_ip)})</h1>

<h2>Monitoring</h2>
<ul>
<#list links as l>
<li><a href="${html(l.url)}">${html(l.name)}</a><#if l.desc?has_content> <span class="muted">${html(l.desc)}</span></#if></li>
</#list>
</ul>

<h2>PostgreSQL clusters</h2>
<#if clusters?has_content>
<#list clusters as c>
<table class="cluster" id="cluster-${html(c.name)}">
<caption><b>${html(c.name)}</b><#if c.vip?has_content> &middot; VIP ${html(c.vip)}</#if><#if c.services?has_content> &middot; services: ${html(c.services?join(", "))}</#if></caption>
<tr><th>instance</th><th>IP</th><th>role (inventory)</th><th>live</th><th>exporters</th></tr>
<#list c.members as m>
<tr><td>${html(m.ins)}</td><td>${html(m.ip)}</td><td>${html(m.role)}</td><td class="live" data-ins="${html(m.ins)}"><span class="muted">unknown</span></td><td><#list m.exporters as e><a href="${html(e.url)}">${html(e.name)}</a><#sep> </#list></td></tr>
</#list>
</table>
</#list>
<#else>
<p class="muted">The inventory has no PostgreSQL cluster.</p>
</#if>

<#if etcd?has_content>
<h2>etcd</h2>
<table>
<tr><th>member</th><th>cluster</th><th>IP</th><th>metrics</th></tr>
<#list etcd as e>
<tr><td>${html(e.name)}</td><td>${html(e.cluster)}</td><td>${html(e.ip)}</td><td><a href="${html(e.metrics)}">metrics</a></td></tr>
</#list>
</table>
</#if>

<h2>Nodes</h2>
<table>
<tr><th>node</th><th>cluster</th><th>IP</th><th>metrics</th></tr>
<#list nodes as n>
<tr><td>${html(n.name)}</td><td>${html(n.cluster)}</td><td>${html(n.ip)}</td><td><a href="${html(n.metrics)}">node_exporter</a></td></tr>
</#list>
</table>
<#if live>

<script>
// live status from VictoriaMetrics: whether each instance's PostgreSQL answers its exporter,
// and which member Patroni says leads
(function () {
  function query(q) {
    return fetch('/vmetrics/api/v1/query?query=' + encodeURIComponent(q))
      .then(function (r) { return r.json(); })
      .then(function (j) { return (j.data && j.data.result) || []; });
  }
  Promise.all([query('max by (ins) (pg_up)'), query('max by (ins) (patroni_primary)')]).then(function (res) {
    var up = {}, primary = {};
    res[0].forEach(function (s) { up[s.metric.ins] = s.value[1] === '1'; });
    res[1].forEach(function (s) { primary[s.metric.ins] = s.value[1] === '1'; });
    document.querySelectorAll('td.live').forEach(function (td) {
      var ins = td.getAttribute('data-ins');
      if (!(ins in up)) { return; }
      td.textContent = up[ins] ? (primary[ins] ? 'up, leader' : 'up, replica') : 'DOWN';
      td.className = 'live ' + (up[ins] ? 'up' : 'down');
    });
  }).catch(function () { });
})();
</script>
</#if>
</body>
</html>
