${nodename}
