# pgbouncer databases of ${pg_instance}: managed by pig (pgbouncer_db), from pg_databases
<#list pg_databases as d>
${d.name} = host=${pg_localhost} port=${pg_port?c} dbname=${d.name}${d.options}
</#list>
