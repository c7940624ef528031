# sudo rights of ${pg_dbsu}: managed by pig (pg_dbsu_sudo: ${pg_dbsu_sudo})
<#if pg_dbsu_sudo == "nopass">
${pg_dbsu} ALL=(ALL) NOPASSWD: ALL
<#elseif pg_dbsu_sudo == "all">
${pg_dbsu} ALL=(ALL) ALL
<#else>
${pg_dbsu} ALL=NOPASSWD: <#list limited_commands as c>${c}<#sep>, </#sep></#list>
</#if>
