# resolvers of node_dns: managed by pig (node_dns_method: ${node_dns_method}), changes are overwritten
<#list lines as l>
${l}
</#list>
