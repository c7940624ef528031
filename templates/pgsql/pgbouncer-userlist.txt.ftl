# pgbouncer users of ${name}: managed by pig (pgbouncer_user), verifiers as PostgreSQL stores them
<#list users as u>
"${u.name}" "${u.verifier}"
</#list>
