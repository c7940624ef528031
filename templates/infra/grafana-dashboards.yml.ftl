# pig's dashboards on ${infra_name}: managed by pig (grafana), changes are overwritten
apiVersion: 1
providers:
  - name: pig
    folder: pig
    type: file
    disableDeletion: true
    updateIntervalSeconds: 30
    options:
      path: ${yaml(dashboards)}
