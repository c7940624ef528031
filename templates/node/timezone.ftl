${node_timezone}
