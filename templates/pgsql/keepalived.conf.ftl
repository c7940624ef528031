#==============================================================#
# keepalived.conf of ${name} (${cluster}): managed by pig (pg_vip)
# ${vip}/${netmask?c} follows the leader: only the member whose Patroni holds the leader key
# answers /primary, every other member stays in FAULT and never claims the address
#==============================================================#
global_defs {
    router_id ${name}
    script_user root
    enable_script_security
}

vrrp_script ${script} {
    script "/usr/bin/curl -sf -o /dev/null -m 1 http://127.0.0.1:${patroni_port?c}/primary"
    interval 1
    timeout 2
    fall 2
    rise 1
}

vrrp_instance ${cluster} {
    state BACKUP
    interface ${interface}
    virtual_router_id ${router_id?c}
    priority 100
    advert_int 1
<#if peers?has_content>
    unicast_src_ip ${ip}
    unicast_peer {
<#list peers as p>
        ${p}
</#list>
    }
</#if>
    virtual_ipaddress {
        ${vip}/${netmask?c} dev ${interface}
    }
    track_script {
        ${script}
    }
}
