<#list keys as k>
${k}
</#list>
