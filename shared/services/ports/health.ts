// The port of one area of storage — the health check's read — implemented under shared/adapters/dynamodb/.

/** Whether the service's storage answers. */
export interface HealthCheck {
  /** Reads one fixed key: proves reachability and read permission. */
  readKey(): Promise<void>;
}
