# vip-manager of ${name} (${cluster}): managed by pig (pg_vip)
# the address follows the leader key Patroni keeps in etcd
ip: ${ip}
netmask: ${netmask?c}
interface: ${interface}
trigger-key: ${key}
trigger-value: ${value}
dcs-type: etcd
dcs-endpoints: ${endpoints}
etcd-user: ${user}
etcd-password: ${password}
interval: 1000
retry-after: 250
retry-num: 3
