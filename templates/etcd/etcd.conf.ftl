# etcd member ${name} of cluster ${cluster}: managed by pig, changes are overwritten
# (initial-* settings are read only when the member's data directory is first created)
name: ${name}
data-dir: ${data}
listen-peer-urls: http://${ip}:${peer_port?c}
listen-client-urls: ${client_urls?join(",")}
initial-advertise-peer-urls: http://${ip}:${peer_port?c}
advertise-client-urls: http://${ip}:${port?c}
initial-cluster: <#list members as m>${m.name}=http://${m.ip}:${m.peer_port?c}<#sep>,</#list>
initial-cluster-token: ${cluster}
initial-cluster-state: ${init}
election-timeout: ${election_timeout?c}
heartbeat-interval: ${heartbeat_interval?c}
quota-backend-bytes: 17179869184
auto-compaction-mode: periodic
auto-compaction-retention: 24h
enable-v2: false
# a config file leaves the v3 HTTP gateway off unless it says so; Patroni speaks to etcd through it
enable-grpc-gateway: true
