# pgbouncer user options of ${name}: managed by pig (pgbouncer_user), from pool_mode and pool_connlimit
<#list users as u>
${u.name} = ${u.options}
</#list>
