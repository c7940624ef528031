/**
 * INFRA: the observability stack of the infra nodes (VictoriaMetrics, vmalert, Alertmanager, the
 * blackbox exporter, Grafana when it can be installed), the nginx portal, dnsmasq, and the
 * registry of what every other module's instances publish to them (scrape targets, probes, DNS
 * names).
 */
package dev.pig.modules.infra;
