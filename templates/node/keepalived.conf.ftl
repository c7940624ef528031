#==============================================================#
# keepalived.conf of ${router_id}: managed by pig
# every VIP this host holds is a file of ${conf_d}: the node
# cluster's (vip_enabled), its PostgreSQL cluster's (pg_vip_enabled)
#==============================================================#
global_defs {
    router_id ${router_id}
    script_user root
    enable_script_security
    # VRRPv3 unless an instance says otherwise: adverts under a second for the PostgreSQL VIP;
    # the node VIP runs VRRPv2, which carries its password
    vrrp_version 3
}

include ${conf_d}/*.conf
