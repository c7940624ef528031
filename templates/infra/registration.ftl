<#-- one registered entry on an infra node: a scrape file (groups) or a DNS hosts file (dns) -->
# ${key}: registered by pig (${tag}), changes are overwritten
<#if dns?has_content>
${dns}
<#else>
<#list groups as g>
- labels:
<#list g.labels as k, v>
    ${yamlKey(k)}: ${yaml(v)}
</#list>
  targets: [ <#list g.targets as t>${yaml(t)}<#sep>, </#list> ]
</#list>
</#if>
