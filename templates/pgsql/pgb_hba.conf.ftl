#==============================================================#
# pgb_hba.conf of ${name} (${cluster}): managed by pig (pgbouncer_hba)
# from pgb_default_hba_rules and pgb_hba_rules
#==============================================================#
<#list lines as line>
${line}
</#list>
