<#-- YAML scalars: numbers and booleans as they are, strings as the YAML library quotes them -->
<#function q v><#if v?is_number || v?is_boolean><#return v?c><#else><#return yaml(v)></#if></#function>
<#-- a mapping as YAML block lines, nested mappings and lists indented by two -->
<#macro block m indent>
<#list m as k, v>
<#if v?is_hash>
${""?left_pad(indent)}${yamlKey(k)}:
<@block v indent + 2/>
<#elseif v?is_sequence>
${""?left_pad(indent)}${yamlKey(k)}:
<#list v as i>
${""?left_pad(indent + 2)}- ${q(i)}
</#list>
<#else>
${""?left_pad(indent)}${yamlKey(k)}: ${q(v)}
</#if>
</#list>
</#macro>
#==============================================================#
# patroni.yml of ${pg_instance} (${pg_cluster}): managed by pig
# profile: ${profile}, ${node_cpu} cpu, ${node_mem_mb} MB memory, rto ${pg_rto.mode}
#==============================================================#
scope: ${q(pg_cluster)}
namespace: ${q(pg_namespace)}
name: ${q(pg_instance)}

log:
  level: INFO
  dir: ${q(patroni_log_dir)}
  file_num: 4
  file_size: 26214400

restapi:
  listen: ${q("0.0.0.0:" + patroni_port?c)}
  connect_address: ${q(instance_ip + ":" + patroni_port?c)}
<#if patroni_ssl_enabled>
  # TLS with the instance's certificate of the CA; an unsafe call (restart, switchover, config)
  # must also show a certificate of the CA, besides the password
  certfile: '/pg/cert/server.crt'
  keyfile: '/pg/cert/server.key'
  cafile: '/pg/cert/ca.crt'
  verify_client: optional
</#if>
  authentication:
    username: ${q(patroni_username)}
    password: ${q(patroni_password)}
<#if patroni_ssl_enabled>

# patronictl verifies the REST API with the CA and shows the instance's certificate
ctl:
  cacert: '/pg/cert/ca.crt'
  certfile: '/pg/cert/server.crt'
  keyfile: '/pg/cert/server.key'
</#if>

# a watchdog resets a leader whose Patroni hangs, safety_margin seconds before its lease
# (ttl) runs out, so no two nodes ever act as primary at once
watchdog:
  mode: ${q(patroni_watchdog_mode)}
  device: '/dev/watchdog'
  safety_margin: ${pg_rto.safetyMargin?c}

etcd3:
  hosts: ${q(etcd_endpoints)}
<#if etcd_tls>
  # etcd_tls: the instance's etcd client certificate; Patroni reads this block only when it starts
  protocol: https
  cacert: '/pg/cert/ca.crt'
  cert: '/pg/cert/etcd.crt'
  key: '/pg/cert/etcd.key'
<#else>
  protocol: http
</#if>
  username: ${q(etcd_username)}
  password: ${q(pg_etcd_password)}

bootstrap:
  # written to the DCS once, when Patroni creates the cluster; pig changes a running
  # cluster's copy with PATCH /config
  dcs:
<@block dcs 4/>
  initdb:
    - encoding: ${q(pg_encoding)}
    - locale: ${q(pg_locale)}
    - lc-collate: ${q(pg_lc_collate)}
    - lc-ctype: ${q(pg_lc_ctype)}
<#if pg_checksum>
    - data-checksums
</#if>

postgresql:
  listen: ${q(pg_listen + ":" + pg_port?c)}
  connect_address: ${q(instance_ip + ":" + pg_port?c)}
  data_dir: ${q(pg_data)}
  bin_dir: ${q(pg_bin_dir)}
  pgpass: ${q(pgpass_file)}
  use_unix_socket: true
  use_unix_socket_repl: false
  # how a new replica gets its data (patroni_replica_methods), in order
  create_replica_methods:
<#list patroni_replica_methods as m>
    - ${q(m)}
</#list>
<#if patroni_replica_methods?seq_contains("pgbackrest")>
  # from the backup repository, sparing the leader
  pgbackrest:
    command: ${q(pgbackrest_restore)}
    keep_data: true
    no_params: true
</#if>
  # a new replica's base backup starts at once instead of waiting for the next checkpoint
  basebackup:
    - checkpoint: 'fast'
<#if role_change_callback?has_content>
  # a member that becomes the primary readies its backup repository
  callbacks:
    on_role_change: ${q(role_change_callback)}
</#if>
  authentication:
    superuser:
      username: ${q(pg_dbsu)}
    replication:
      username: ${q(pg_replication_username)}
      password: ${q(pg_replication_password)}
    rewind:
      username: ${q(pg_replication_username)}
      password: ${q(pg_replication_password)}
  parameters:
    unix_socket_directories: ${q(pg_localhost)}
    password_encryption: ${q(pg_pwd_enc)}
    shared_preload_libraries: ${q(pg_libs)}
    logging_collector: 'on'
    log_destination: csvlog
    log_directory: ${q(pg_log_dir)}
    log_filename: 'postgresql-%a.log'
    log_truncate_on_rotation: 'on'
    log_rotation_age: '1d'
    log_min_duration_statement: 100
    log_checkpoints: 'on'
    log_lock_waits: 'on'
    track_io_timing: 'on'
    track_functions: all
    hot_standby_feedback: 'on'
    wal_compression: 'on'
<#if archive_command?has_content>
    archive_mode: 'on'
    archive_command: ${q(archive_command)}
</#if>
    ssl: 'on'
    ssl_cert_file: '/pg/cert/server.crt'
    ssl_key_file: '/pg/cert/server.key'
    ssl_ca_file: '/pg/cert/ca.crt'
<#list instance_parameters as k, v>
    ${yamlKey(k)}: ${q(v)}
</#list>
<#if recovery_conf?has_content>
  recovery_conf:
<@block recovery_conf 4/>
</#if>
  pg_hba:
<#list pg_hba_rules as line>
    - ${q(line)}
</#list>

tags:
  nofailover: ${nofailover?c}
  noloadbalance: ${noloadbalance?c}
  clonefrom: ${clonefrom?c}
  nosync: ${nosync?c}
<#if replicatefrom?has_content>
  replicatefrom: ${q(replicatefrom)}
</#if>
