#==============================================================#
# the node VIP of ${node_cluster} on ${nodename}: managed by pig (vip_enabled),
# included by keepalived.conf
# ${vip_address} is held by the member with the highest priority that runs keepalived
#==============================================================#
vrrp_instance ${node_cluster}_vip {
    state ${state}
    interface ${vip_interface}
    virtual_router_id ${vip_vrid?c}
    priority ${priority?c}
    # VRRPv2, whose adverts carry a password: one a second
    version 2
    advert_int 1
<#if !vip_preempt>
    # a member that comes back leaves the address where it is (vip_preempt: false)
    nopreempt
</#if>
    # in clear on the wire: it keeps clusters apart that share a router id, it is no secret from the segment
    authentication {
        auth_type PASS
        auth_pass ${auth_pass}
    }
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
        ${vip_address}/32 dev ${vip_interface}
    }
}
