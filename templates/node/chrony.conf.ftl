# chrony: managed by pig (node_time), servers from node_ntp_servers
<#list servers as s>
${s}
</#list>
driftfile ${drift}
keyfile ${keys}
makestep 1.0 3
rtcsync
leapsectz right/UTC
logdir /var/log/chrony
