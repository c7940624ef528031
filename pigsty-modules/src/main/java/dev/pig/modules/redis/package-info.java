/**
 * REDIS: Redis instances in Pigsty's three modes (standalone primary and replicas, sentinels
 * watching masters, native cluster), one systemd unit per instance from a template unit, a
 * config file per instance written by pig and applied live where Redis can, and the live roles
 * followed after a failover rather than forced back.
 */
package dev.pig.modules.redis;
