import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The app's Prometheus metrics, one registry per running app (tests start several in one process). */
export interface Metrics {
  registry: Registry;
  /** flag change events accepted by the ingest API (duplicates not counted), by organization id (a Slack team id or a generated one, never its name) */
  eventsIngested: Counter<'organization'>;
  /** delivery attempts by destination and outcome: delivered | retry | dead | skipped */
  deliveries: Counter<'destination' | 'outcome'>;
  /** seconds from the event's acceptance to a successful delivery */
  deliveryLatency: Histogram<'destination'>;
  /** deliveries waiting to be sent (pending or in flight); set by the outbox worker */
  outboxBacklog: Gauge;
  /** deliveries to `/api/v1/sources/<id>` by platform and outcome: accepted | ignored | duplicate | unauthorized | invalid (accepted and ignored count changes) */
  sourceEvents: Counter<'kind' | 'outcome'>;
  /** rows deleted by retention (RETENTION_DAYS), by table: deliveries | flag_events */
  retentionPruned: Counter<'table'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Node's own metrics keep their standard names (process_*, nodejs_*) so stock Node dashboards find them;
  // only the product metrics below carry flag_alerts_. Labels hold ids and fixed words, never a name of a person or organization.
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsIngested: new Counter({
      name: 'flag_alerts_events_ingested_total',
      help: 'Flag change events accepted',
      labelNames: ['organization'],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'flag_alerts_deliveries_total',
      help: 'Delivery attempts by outcome',
      labelNames: ['destination', 'outcome'],
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'flag_alerts_delivery_latency_seconds',
      help: 'From acceptance to successful delivery',
      labelNames: ['destination'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    outboxBacklog: new Gauge({ name: 'flag_alerts_outbox_backlog', help: 'Deliveries pending or in flight', registers: [registry] }),
    sourceEvents: new Counter({
      name: 'flag_alerts_source_events_total',
      help: 'Flag platform webhook events by source kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    retentionPruned: new Counter({
      name: 'flag_alerts_retention_pruned_rows_total',
      help: 'Rows deleted by retention (RETENTION_DAYS), by table',
      labelNames: ['table'],
      registers: [registry],
    }),
  };
}
