# node_exporter: managed by pig (node_exporter)
ARGS="--web.listen-address=:${port}<#if options?has_content> ${options}</#if>"
