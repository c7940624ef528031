# what VictoriaMetrics on ${infra_name} scrapes: managed by pig (vmetrics), changes are overwritten
# Every file under ${targets?keep_before("/*")}/ is one registered instance and names its own
# job and labels (cls, ins, ip), so this one scrape config covers every module.
global:
  scrape_interval: ${yaml(vmetrics_scrape_interval)}
  scrape_timeout: ${yaml(vmetrics_scrape_timeout)}
scrape_configs:
  - job_name: pig
    metrics_path: ${yaml(exporter_metrics_path)}
    # a target registered with __scheme__: https (Patroni with patroni_ssl_enabled, etcd with
    # etcd_tls) is verified with the inventory's CA: ca.crt beside this file; VictoriaMetrics shows
    # its own certificate of that CA to a target that asks for one (etcd)
    tls_config:
      ca_file: ca.crt
<#if client_cert??>
      cert_file: ${yaml(client_cert)}
      key_file: ${yaml(client_key)}
</#if>
    file_sd_configs:
      - files: [ ${yaml(targets)} ]
