// apt proxy: managed by pig (node_repo), from proxy_env
<#if http_proxy?has_content>
Acquire::http::Proxy "${http_proxy}";
</#if>
<#if https_proxy?has_content>
Acquire::https::Proxy "${https_proxy}";
</#if>
