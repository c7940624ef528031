#==============================================================#
# ${pg_cluster}'s VIP on ${pg_instance}: managed by pig (pg_vip),
# included by keepalived.conf
# ${vip_address}/${vip_netmask?c} follows the leader: only the member whose Patroni holds the leader key
# answers /primary, every other member stays in FAULT and never claims the address
#==============================================================#
vrrp_script ${script} {
<#if patroni_ssl_enabled>
    script "/usr/bin/curl -sf -o /dev/null -m 1 --cacert /etc/pki/ca.crt https://127.0.0.1:${patroni_port?c}/primary"
<#else>
    script "/usr/bin/curl -sf -o /dev/null -m 1 http://127.0.0.1:${patroni_port?c}/primary"
</#if>
    interval 1
    timeout 2
    fall 2
    rise 1
}

vrrp_instance ${pg_cluster} {
    state BACKUP
    interface ${pg_vip_interface}
    virtual_router_id ${router_id?c}
    priority 100
<#if auth_pass?has_content>
    # VRRPv2, whose adverts carry a password (pg_vip_auth_pass), one a second: the new leader
    # claims the address up to 3.6 s after its check passes
    version 2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass ${auth_pass}
    }
<#else>
    # VRRPv3 takes adverts under a second: with adverts every 0.2 s the new leader claims the
    # address 0.7 s after its check passes (3.6 s with VRRPv2's 1 s); only the leader's check
    # passes, so no other member ever claims it, however many adverts a busy master misses.
    # VRRPv3 has no password (RFC 5798): pg_vip_auth_pass trades these for VRRPv2's
    version 3
    advert_int 0.2
</#if>
<#if peers?has_content>
    unicast_src_ip ${instance_ip}
    # adverts from any address but the members' are dropped
    check_unicast_src
    unicast_peer {
<#list peers as p>
        ${p}
</#list>
    }
</#if>
    virtual_ipaddress {
        ${vip_address}/${vip_netmask?c} dev ${pg_vip_interface}
    }
    track_script {
        ${script}
    }
}
