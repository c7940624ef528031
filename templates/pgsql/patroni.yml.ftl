<#-- YAML scalars: numbers and booleans as they are, strings single-quoted -->
<#function q v><#if v?is_number || v?is_boolean><#return v?c><#else><#return "'" + v?replace("'", "''") + "'"></#if></#function>
#==============================================================#
# patroni.yml of ${name} (${cluster}): managed by pig
# profile: ${profile}, ${cpus} cpu, ${mem_mb} MB memory, rto ${rto_mode}
#==============================================================#
scope: ${q(cluster)}
namespace: ${q(namespace)}
name: ${q(name)}

log:
  level: INFO
  dir: ${q(patroni_log_dir)}
  file_num: 4
  file_size: 26214400

restapi:
  listen: ${q("0.0.0.0:" + patroni_port?c)}
  connect_address: ${q(ip + ":" + patroni_port?c)}
  authentication:
    username: ${q(patroni_username)}
    password: ${q(patroni_password)}

etcd3:
  hosts: ${q(etcd_hosts)}
  protocol: http
  username: ${q(etcd_username)}
  password: ${q(etcd_password)}

bootstrap:
  dcs:
    ttl: ${ttl?c}
    loop_wait: ${loop_wait?c}
    retry_timeout: ${retry_timeout?c}
    primary_start_timeout: ${primary_start_timeout?c}
    maximum_lag_on_failover: ${max_lag?c}
    synchronous_mode: ${sync?c}
    synchronous_mode_strict: false
    failsafe_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
<#list global as k, v>
        ${k}: ${q(v)}
</#list>
  initdb:
    - encoding: ${q(encoding)}
    - locale: ${q(locale)}
    - lc-collate: ${q(lc_collate)}
    - lc-ctype: ${q(lc_ctype)}
<#if checksum>
    - data-checksums
</#if>

postgresql:
  listen: ${q(listen + ":" + port?c)}
  connect_address: ${q(ip + ":" + port?c)}
  data_dir: ${q(data_dir)}
  bin_dir: ${q(bin_dir)}
  pgpass: ${q(pgpass)}
  use_unix_socket: true
  use_unix_socket_repl: false
  authentication:
    superuser:
      username: ${q(dbsu)}
    replication:
      username: ${q(replication_username)}
      password: ${q(replication_password)}
    rewind:
      username: ${q(replication_username)}
      password: ${q(replication_password)}
  parameters:
    unix_socket_directories: ${q(socket_dir)}
    password_encryption: ${q(pwd_enc)}
    shared_preload_libraries: ${q(libs)}
    logging_collector: 'on'
    log_destination: csvlog
    log_directory: ${q(log_dir)}
    log_filename: 'postgresql-%a.log'
    log_truncate_on_rotation: 'on'
    log_rotation_age: '1d'
    log_min_duration_statement: 100
    log_checkpoints: 'on'
    log_lock_waits: 'on'
    track_io_timing: 'on'
    track_functions: all
    hot_standby: 'on'
    hot_standby_feedback: 'on'
    wal_compression: 'on'
    wal_keep_size: '1GB'
<#if archive_command?has_content>
    archive_mode: 'on'
    archive_command: ${q(archive_command)}
</#if>
    ssl: 'on'
    ssl_cert_file: '/pg/cert/server.crt'
    ssl_key_file: '/pg/cert/server.key'
<#list local as k, v>
    ${k}: ${q(v)}
</#list>
  pg_hba:
<#list hba as line>
    - ${q(line)}
</#list>

tags:
  nofailover: ${nofailover?c}
  noloadbalance: ${noloadbalance?c}
  clonefrom: ${clonefrom?c}
  nosync: ${nosync?c}
