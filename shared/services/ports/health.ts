/** Whether the service's storage answers. */
export interface HealthCheck {
  /** Reads one fixed key: proves reachability and read permission. */
  readKey(): Promise<void>;
}
