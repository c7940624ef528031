#!/usr/bin/python3
# pgbouncer_exporter of ${pg_instance}: managed by pig (pgbouncer_exporter)
# Prometheus metrics from PgBouncer's admin console (SHOW STATS, POOLS, DATABASES, LISTS), read
# with psql over the unix socket as the dbsu, on every scrape of http://*:${pgbouncer_exporter_port?c}/metrics.
LISTEN_PORT = ${pgbouncer_exporter_port?c}
SOCKET_DIR = ${py(pg_localhost)}
PGBOUNCER_PORT = '${pgbouncer_port?c}'
USER = ${py(pg_dbsu)}
<#noparse>
import http.server
import re
import subprocess

NAME = re.compile(r'[^a-zA-Z0-9_]')


def show(what):
    """Rows of a SHOW command as dicts, header names as keys."""
    out = subprocess.run(['psql', '-h', SOCKET_DIR, '-p', PGBOUNCER_PORT, '-U', USER, '-d', 'pgbouncer',
                          '-AXq', '-F', '\t', '-P', 'footer=off', '-c', 'SHOW ' + what],
                         capture_output=True, text=True, timeout=5, check=True).stdout
    lines = out.splitlines()
    if not lines:
        return []
    head = lines[0].split('\t')
    return [dict(zip(head, l.split('\t'))) for l in lines[1:]]


def number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def label(v):
    return str(v).replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def metrics():
    out = []
    try:
        groups = [('stats', 'STATS', ['database']), ('pools', 'POOLS', ['database', 'user']),
                  ('databases', 'DATABASES', ['name', 'host', 'port', 'database'])]
        for prefix, command, keys in groups:
            for row in show(command):
                labels = ','.join('%s="%s"' % (k, label(row.get(k, ''))) for k in keys if k in row)
                for col, v in row.items():
                    n = number(v)
                    if col in keys or n is None:
                        continue
                    out.append('pgbouncer_%s_%s{%s} %s' % (prefix, NAME.sub('_', col), labels, repr(n)))
        for row in show('LISTS'):
            n = number(row.get('items'))
            if n is not None:
                out.append('pgbouncer_lists_%s %s' % (NAME.sub('_', row.get('list', '')), repr(n)))
        out.append('pgbouncer_up 1')
    except (subprocess.SubprocessError, OSError):
        out = ['pgbouncer_up 0']
    return '# pgbouncer metrics of this host\n' + '\n'.join(out) + '\n'


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split('?')[0] != '/metrics':
            self.send_response(404)
            self.end_headers()
            return
        body = metrics().encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; version=0.0.4')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('', LISTEN_PORT), Handler).serve_forever()
</#noparse>
