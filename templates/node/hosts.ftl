# /etc/hosts: managed by pig (node_hosts); edit node_etc_hosts in the inventory instead
127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
ff02::1 ip6-allnodes
ff02::2 ip6-allrouters
<#if node_etc_hosts?has_content>

<#list node_etc_hosts as r>
${r}
</#list>
</#if>
