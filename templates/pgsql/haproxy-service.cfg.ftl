# ${cluster}-${service}: managed by pig (pg_service) on ${host}
# members: ${members}
# backups: ${backups}
listen ${cluster}-${service}
    bind ${bind}
    mode tcp
    maxconn ${maxconn?c}
    balance ${balance}
    option httpchk
    option http-keep-alive
    http-check send meth OPTIONS uri ${check}
    http-check expect status 200
    default-server ${options}
<#list servers as s>
    server ${s.name} ${s.ip}:${s.port?c} check port ${s.check_port?c}<#if s.check_ssl> check-ssl verify required ca-file /etc/pki/ca.crt verifyhost ${s.name}</#if> weight ${s.weight?c}<#if s.backup> backup</#if>
</#list>
