# targets/pgrds/${name}: ${mark}, changes are overwritten; 'pig pgsql monitor rm ${name}' removes it
- labels:
<#list labels as k, v>
    ${yamlKey(k)}: ${yaml(v)}
</#list>
  targets: [ ${yaml(address)} ]
