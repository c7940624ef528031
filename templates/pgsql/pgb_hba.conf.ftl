#==============================================================#
# pgb_hba.conf of ${pg_instance} (${pg_cluster}): managed by pig (pgbouncer_hba)
# from pgb_default_hba_rules and pgb_hba_rules
#==============================================================#
<#list pgb_hba_rules as line>
${line}
</#list>
