# blackbox exporter of ${infra_name}: managed by pig (blackbox), changes are overwritten
ARGS=${env(args)}
