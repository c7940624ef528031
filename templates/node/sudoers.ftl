# sudo rights of ${node_admin_username}: managed by pig (node_admin_sudo: ${node_admin_sudo})
<#if node_admin_sudo == "nopass">
${node_admin_username} ALL=(ALL) NOPASSWD: ALL
<#elseif node_admin_sudo == "all">
${node_admin_username} ALL=(ALL) ALL
<#else>
${node_admin_username} ALL=(ALL) NOPASSWD: <#list limited_commands as c>${c}<#sep>, </#sep></#list>
</#if>
