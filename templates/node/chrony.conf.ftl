# chrony: managed by pig (node_time), servers from node_ntp_servers
<#list node_ntp_servers as s>
${s}
</#list>
driftfile ${drift_file}
keyfile ${keys_file}
makestep 1.0 3
rtcsync
leapsectz right/UTC
logdir /var/log/chrony
