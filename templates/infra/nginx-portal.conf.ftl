# the portal of ${infra_name}: managed by pig (nginx), changes are overwritten
# the home page: every cluster of the inventory, links to the stack and to every exporter
server {
    listen ${nginx_port?c} default_server;
    server_name<#list server_names as n> ${nginx(n)}</#list>;
    root ${nginx(root)};
    index index.html;

    location / {
        try_files $uri $uri/ =404;
    }
<#if vmetrics_port != 0>

    # VictoriaMetrics' query API, for the home page's live status
    location /vmetrics/ {
        proxy_pass http://127.0.0.1:${vmetrics_port?c}/;
        proxy_set_header Host $host;
    }
</#if>

    # for the nginx exporter only
    location = /nginx_status {
        stub_status;
        access_log off;
        allow 127.0.0.1;
        deny all;
    }
}
<#list others as s>
<#if s.endpoint?has_content || s.path?has_content>

# infra_portal.${s.name}
server {
    listen ${nginx_port?c};
    server_name ${nginx(s.domain)};
<#if s.endpoint?has_content>
    location / {
        proxy_pass ${nginx("http://" + s.endpoint)};
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
<#if s.websocket>
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
</#if>
    }
<#else>
    root ${nginx(s.path)};
    location / {
        autoindex on;
        try_files $uri $uri/ =404;
    }
</#if>
}
</#if>
</#list>
