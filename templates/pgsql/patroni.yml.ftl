<#-- YAML scalars: numbers and booleans as they are, strings single-quoted -->
<#function q v><#if v?is_number || v?is_boolean><#return v?c><#else><#return "'" + v?replace("'", "''") + "'"></#if></#function>
<#-- a mapping as YAML block lines, nested mappings and lists indented by two -->
<#macro yaml m indent>
<#list m as k, v>
<#if v?is_hash>
${""?left_pad(indent)}${k}:
<@yaml v indent + 2/>
<#elseif v?is_sequence>
${""?left_pad(indent)}${k}:
<#list v as i>
${""?left_pad(indent + 2)}- ${q(i)}
</#list>
<#else>
${""?left_pad(indent)}${k}: ${q(v)}
</#if>
</#list>
</#macro>
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

# a watchdog resets a leader whose Patroni hangs, safety_margin seconds before its lease
# (ttl) runs out, so no two nodes ever act as primary at once
watchdog:
  mode: ${q(watchdog_mode)}
  device: '/dev/watchdog'
  safety_margin: ${safety_margin?c}

etcd3:
  hosts: ${q(etcd_hosts)}
  protocol: http
  username: ${q(etcd_username)}
  password: ${q(etcd_password)}

bootstrap:
  # written to the DCS once, when Patroni creates the cluster; pig changes a running
  # cluster's copy with PATCH /config
  dcs:
<@yaml dcs 4/>
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
  # a new replica's base backup starts at once instead of waiting for the next checkpoint
  basebackup:
    - checkpoint: 'fast'
<#if role_change?has_content>
  # a member that becomes the primary readies its backup repository
  callbacks:
    on_role_change: ${q(role_change)}
</#if>
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
    hot_standby_feedback: 'on'
    wal_compression: 'on'
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
<#if recovery_conf?has_content>
  recovery_conf:
<@yaml recovery_conf 4/>
</#if>
  pg_hba:
<#list hba as line>
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
