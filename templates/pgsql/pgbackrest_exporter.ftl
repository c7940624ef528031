#!/usr/bin/python3
# pgbackrest_exporter of ${pg_instance}: managed by pig (pgbackrest_exporter)
# Prometheus metrics of this instance's pgBackRest repository, from 'pgbackrest info' run as the
# dbsu at most once a minute, on http://*:${pgbackrest_exporter_port?c}/metrics.
LISTEN_PORT = ${pgbackrest_exporter_port?c}
STANZA = ${py(pg_cluster)}
CONFIG = ${py(config)}
<#noparse>
import http.server
import json
import subprocess
import threading
import time

CACHE_SECONDS = 60
_lock = threading.Lock()
_cache = {'at': 0.0, 'body': ''}


def label(v):
    return str(v).replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')


def info():
    out = subprocess.run(['pgbackrest', '--config=' + CONFIG, '--stanza=' + STANZA, '--output=json', 'info'],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    return json.loads(out)


def metrics():
    out = []
    try:
        for st in info():
            stanza = 'stanza="%s"' % label(st.get('name', STANZA))
            out.append('pgbackrest_stanza_status{%s} %d' % (stanza, int(st.get('status', {}).get('code', 99))))
            last, count = {}, {}
            for b in st.get('backup', []):
                kind = b.get('type', '')
                count[kind] = count.get(kind, 0) + 1
                last[kind] = b  # oldest first: the last one of a type wins
            for kind in sorted(last):
                b = last[kind]
                ls = '%s,type="%s"' % (stanza, label(kind))
                ts = b.get('timestamp', {})
                size = b.get('info', {})
                out.append('pgbackrest_backup_last_time_seconds{%s} %d' % (ls, int(ts.get('stop', 0))))
                out.append('pgbackrest_backup_last_duration_seconds{%s} %d' % (ls, int(ts.get('stop', 0)) - int(ts.get('start', 0))))
                out.append('pgbackrest_backup_last_size_bytes{%s} %d' % (ls, int(size.get('size', 0))))
                out.append('pgbackrest_backup_last_repo_bytes{%s} %d' % (ls, int(size.get('repository', {}).get('delta', 0))))
                out.append('pgbackrest_backup_count{%s} %d' % (ls, count[kind]))
        out.append('pgbackrest_up 1')
    except (subprocess.SubprocessError, OSError, ValueError, TypeError, AttributeError):
        out = ['pgbackrest_up 0']
    return '# pgBackRest metrics of this instance\n' + '\n'.join(out) + '\n'


def cached():
    with _lock:
        if time.monotonic() - _cache['at'] > CACHE_SECONDS or not _cache['body']:
            _cache['body'] = metrics()
            _cache['at'] = time.monotonic()
        return _cache['body']


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split('?')[0] != '/metrics':
            self.send_response(404)
            self.end_headers()
            return
        body = cached().encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; version=0.0.4')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('', LISTEN_PORT), Handler).serve_forever()
</#noparse>
