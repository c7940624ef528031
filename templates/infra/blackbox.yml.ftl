# blackbox exporter of ${infra_name}: managed by pig (blackbox), changes are overwritten
# the modules the registered probes use: icmp (VIPs, nodes), tcp_connect (service ports)
modules:
  icmp:
    prober: icmp
    timeout: 3s
    icmp:
      preferred_ip_protocol: ip4
  tcp_connect:
    prober: tcp
    timeout: 3s
    tcp:
      preferred_ip_protocol: ip4
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
