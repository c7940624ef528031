# what VictoriaMetrics on ${infra_name} scrapes: managed by pig (vmetrics), changes are overwritten
# Every file under ${targets?keep_before("/*")}/ is one registered instance and names its own
# job and labels (cls, ins, ip), so this one scrape config covers every module.
global:
  scrape_interval: ${yaml(vmetrics_scrape_interval)}
  scrape_timeout: ${yaml(vmetrics_scrape_timeout)}
scrape_configs:
  - job_name: pig
    metrics_path: ${yaml(exporter_metrics_path)}
    # a target registered with __scheme__: https (Patroni with patroni_ssl_enabled) is verified
    # with the inventory's CA: ca.crt beside this file
    tls_config:
      ca_file: ca.crt
    file_sd_configs:
      - files: [ ${yaml(targets)} ]
