# dnsmasq of ${infra_name}: managed by pig (dns), changes are overwritten
# answers dns_records and the registered names in ${hosts_dir} (re-read when a file there
# changes), forwards the rest to the resolvers of /etc/resolv.conf
port=${dns_port?c}
<#list listen as a>
listen-address=${a}
</#list>
bind-interfaces
no-hosts
hostsdir=${hosts_dir}
# private reverse lookups are answered here instead of waiting on upstream resolvers
bogus-priv
domain-needed
