# pgbouncer user options of ${pg_instance}: managed by pig (pgbouncer_user), from pool_mode and pool_connlimit
<#list pg_users as u>
${u.name} = ${u.options}
</#list>
