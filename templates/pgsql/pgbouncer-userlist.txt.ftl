<#-- no comment line: pgbouncer's auth_file has no comment syntax, an unquoted line stops its parsing -->
<#list pg_users as u>
"${u.name}" "${u.verifier}"
</#list>
