# cron jobs: managed by pig (node_crontab)
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin

<#list node_crontab as e>
${e}
</#list>
