# sudo rights of ${user}: managed by pig (pg_dbsu_sudo: ${mode})
<#if mode == "nopass">
${user} ALL=(ALL) NOPASSWD: ALL
<#elseif mode == "all">
${user} ALL=(ALL) ALL
<#else>
${user} ALL=NOPASSWD: <#list commands as c>${c}<#sep>, </#sep></#list>
</#if>
