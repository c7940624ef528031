# vmalert of ${infra_name}: managed by pig (vmalert), changes are overwritten
ARGS=${env(args)}
