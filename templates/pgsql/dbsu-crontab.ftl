# crontab of ${pg_dbsu}: managed by pig (pg_crontab), from pg_crontab
<#list pg_crontab as e>
${e}
</#list>
