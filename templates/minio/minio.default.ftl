# /etc/default/minio of ${minio_instance}: managed by pig (minio_config)
MINIO_VOLUMES=${env(minio_volumes)}
MINIO_OPTS=${env(minio_opts)}
MINIO_ROOT_USER=${env(minio_access_key)}
MINIO_ROOT_PASSWORD=${env(minio_secret_key)}
MINIO_PROMETHEUS_AUTH_TYPE=public
<#list minio_extra_vars as k, v>
${k}=${env(v)}
</#list>
