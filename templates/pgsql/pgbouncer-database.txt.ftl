# pgbouncer databases of ${name}: managed by pig (pgbouncer_db), from pg_databases
<#list databases as d>
${d.name} = host=${socket_dir} port=${port?c} dbname=${d.name}${d.options}
</#list>
