# resource limits: managed by pig (node_ulimit)
*           soft    nofile      ${nofile}
*           hard    nofile      ${nofile}
*           soft    nproc       unlimited
*           hard    nproc       unlimited
*           soft    core        unlimited
*           hard    core        unlimited
*           soft    memlock     unlimited
*           hard    memlock     unlimited
