# Alertmanager of ${infra_name}: managed by pig (alertmanager), changes are overwritten
ARGS=${env(args)}
