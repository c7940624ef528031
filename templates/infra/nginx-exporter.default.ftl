# nginx exporter of ${infra_name}: managed by pig (nginx), changes are overwritten
ARGS='-nginx.scrape-uri=http://127.0.0.1:${nginx_port?c}/nginx_status -web.listen-address=:${nginx_exporter_port?c}'
