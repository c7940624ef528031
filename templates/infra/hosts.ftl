# dns_records of ${infra_name}: managed by pig (dns), changes are overwritten
# dnsmasq answers these names, and every name registered beside this file
<#list dns_records as r>
${r}
</#list>
