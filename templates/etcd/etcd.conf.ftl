# etcd member ${etcd_instance} of cluster ${etcd_cluster}: managed by pig, changes are overwritten
# (initial-* settings are read only when the member's data directory is first created)
name: ${yaml(etcd_instance)}
data-dir: ${yaml(etcd_data)}
listen-peer-urls: ${scheme}://${instance_ip}:${etcd_peer_port?c}
listen-client-urls: ${client_urls?join(",")}
initial-advertise-peer-urls: ${scheme}://${instance_ip}:${etcd_peer_port?c}
advertise-client-urls: ${scheme}://${instance_ip}:${etcd_port?c}
initial-cluster: <#list etcd_members as m>${m.name}=${scheme}://${m.ip}:${m.peer_port?c}<#sep>,</#list>
initial-cluster-token: ${yaml(etcd_cluster)}
initial-cluster-state: ${etcd_init}
election-timeout: ${etcd_election_timeout?c}
heartbeat-interval: ${etcd_heartbeat_interval?c}
quota-backend-bytes: 17179869184
auto-compaction-mode: periodic
auto-compaction-retention: 24h
enable-v2: false
# a config file leaves the v3 HTTP gateway off unless it says so; Patroni speaks to etcd through it
enable-grpc-gateway: true
<#if etcd_tls>
# etcd_tls: https only, and only for a client or a peer with a certificate of the inventory's CA;
# RBAC still decides what a client may do (a request without a password acts as the user its
# certificate's CN names, so no certificate is issued under an etcd user's name)
client-transport-security:
  cert-file: ${yaml(pki + "/server.crt")}
  key-file: ${yaml(pki + "/server.key")}
  trusted-ca-file: ${yaml(pki + "/ca.crt")}
  client-cert-auth: true
peer-transport-security:
  cert-file: ${yaml(pki + "/server.crt")}
  key-file: ${yaml(pki + "/server.key")}
  trusted-ca-file: ${yaml(pki + "/ca.crt")}
  client-cert-auth: true
</#if>
