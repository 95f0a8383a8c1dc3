/** What surfaces and ingestion need of the outbox: a nudge after they commit new deliveries. */
export interface OutboxPort {
  /** New due deliveries were committed: start sending now rather than on the next poll tick. */
  wake(): void;
}

/** Before a worker runs (CLI commands, tests of storage alone): nudges go nowhere, rows wait for a worker. */
export const idleOutbox: OutboxPort = { wake: () => undefined };
