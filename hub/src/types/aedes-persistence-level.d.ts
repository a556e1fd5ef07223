declare module 'aedes-persistence-level' {
  /** Aedes persistence backed by a Level (>= 9) database: subscriptions, queued QoS 1/2 and retained messages. */
  export default function aedesPersistenceLevel(db: unknown): unknown;
}
