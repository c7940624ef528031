#==============================================================#
# pgbouncer.ini of ${pg_instance} (${pg_cluster}): managed by pig (pgbouncer_config)
# users: userlist.txt, useropts.txt; databases: database.txt; hba: pgb_hba.conf
#==============================================================#
[users]
%include /etc/pgbouncer/useropts.txt

[databases]
%include /etc/pgbouncer/database.txt

[pgbouncer]
listen_addr = ${listen_addr}
listen_port = ${pgbouncer_port?c}
unix_socket_dir = ${pg_localhost}
pool_mode = ${pgbouncer_poolmode}
auth_type = hba
auth_file = /etc/pgbouncer/userlist.txt
auth_hba_file = /etc/pgbouncer/pgb_hba.conf
<#if pgbouncer_auth_query>
auth_user = ${pg_dbsu}
auth_query = SELECT usename, passwd FROM pg_shadow WHERE usename = $1
</#if>
admin_users = ${admin_users}
stats_users = ${stats_users}
logfile = ${pgbouncer_log_dir}/pgbouncer.log
server_reset_query =
application_name_add_host = 1
max_client_conn = 20000
default_pool_size = 32
min_pool_size = 0
reserve_pool_size = 32
reserve_pool_timeout = 1
max_db_connections = 100
max_user_connections = 100
server_lifetime = 600
server_round_robin = 0
# a failed server login (PostgreSQL restarting after a crash) refuses new clients for this long:
# 1 s instead of 15 s, so a postmaster back from crash recovery is reachable through the pool at once
server_login_retry = 1
log_connections = 0
log_disconnections = 0
ignore_startup_parameters = ${pgbouncer_ignore_param}
<#if pgbouncer_sslmode != "disable">
client_tls_sslmode = ${pgbouncer_sslmode}
client_tls_cert_file = ${cert_dir}/server.crt
client_tls_key_file = ${cert_dir}/server.key
client_tls_ca_file = ${cert_dir}/ca.crt
</#if>
