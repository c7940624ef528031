# node_exporter: managed by pig (node_exporter)
ARGS="--web.listen-address=:${node_exporter_port}<#if node_exporter_options?has_content> ${node_exporter_options}</#if>"
