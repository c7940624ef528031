${timezone}
