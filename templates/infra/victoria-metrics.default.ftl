# VictoriaMetrics of ${infra_name}: managed by pig (vmetrics), changes are overwritten
ARGS=${env(args)}
