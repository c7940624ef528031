# kernel settings: managed by pig (node_tune: ${node_tune})
<#list sysctl_settings as s>
${s.key} = ${s.value}
</#list>
