# Grafana's datasource on ${infra_name}: managed by pig (grafana), changes are overwritten
apiVersion: 1
datasources:
  - name: VictoriaMetrics
    uid: vmetrics
    type: prometheus
    access: proxy
    url: ${yaml(vmetrics_url)}
    isDefault: true
    editable: false
