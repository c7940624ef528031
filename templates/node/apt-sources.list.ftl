# package sources of module ${module}: managed by pig (node_repo)
<#list repos as r>
# ${r.name}<#if r.description?has_content>: ${r.description}</#if>
deb <#if r.trusted>[trusted=yes] </#if>${r.url}
</#list>
