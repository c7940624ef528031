# crontab of ${dbsu}: managed by pig (pg_crontab), from pg_crontab
<#list entries as e>
${e}
</#list>
