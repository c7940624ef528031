# kernel settings: managed by pig (node_tune: ${profile})
<#list settings as s>
${s.key} = ${s.value}
</#list>
