/** What the benchmark and its sensor fleet processes say to each other over the IPC channel. */

export interface FleetSensorPlan {
  id: string;
  /** The sensor's place in the whole fleet: which devices of the simulated hospital are its own. */
  index: number;
  /** Its one-time enrolment token, issued by the hub's register. */
  token: string;
}

export interface FleetPlan {
  apiUrl: string;
  mqttUrl: string;
  /** The hub CA's certificate, PEM: what the sensors trust. */
  ca: string;
  sensors: FleetSensorPlan[];
  /** Of the whole fleet, across every process: the simulated hospital is dealt out over all of them. */
  totalSensors: number;
  devicesPerSensor: number;
  seed: number;
  batch: number;
  inFlight: number;
  /** This process's share of the fleet-wide bound on batches awaiting acknowledgement. */
  window: number;
  /** A batch unacknowledged this long after it was last sent goes again. */
  confirmTimeoutMs: number;
  enrolConcurrency: number;
  connectConcurrency: number;
  reportDevices: boolean;
  /** Report, per sensor, the last sequence number it published. */
  reportBatches: boolean;
}

export interface FleetReady {
  sensors: number;
  enrolSeconds: number;
  connectSeconds: number;
}

/** Running totals at one moment of the fleet process's own clock. */
export interface FleetCounters {
  /** performance.now() of the fleet process, in ms. */
  at: number;
  ackedBatches: number;
  ackedObservations: number;
  /** CPU time the fleet process has used, in ms. */
  cpuMs: number;
}

export interface FleetResult {
  sensors: number;
  /** Sensors that stayed connected from the start of publishing to its end. */
  connectedThroughout: number;
  publishedBatches: number;
  ackedBatches: number;
  ackedObservations: number;
  /** Batches sent again after a reconnection or a confirm timeout, their acknowledgement possibly lost on the way. */
  resentBatches: number;
  /** Batches the hub refused, by its reason. */
  rejected: Record<string, number>;
  disconnects: number;
  /** Connection and publish errors, and acknowledgements that did not match the contract. */
  errors: number;
  firstError: string | null;
  /** Publish → acknowledgement times of batches acknowledged after the first mark, in ms. */
  ackLatencyMs: number[];
  /** With `reportDevices`: per sensor, the devices its acknowledged batches spoke of. */
  acknowledgedDevices?: Record<string, string[]>;
  /** With `reportBatches`: per sensor, the last `seq` it published (it published 1 to this). */
  lastSeqs?: Record<string, number>;
}

/** `drain`: publish nothing new, keep sending again what is unacknowledged, and answer once none is left or `ms` has passed. */
export type ToFleet = { type: 'plan'; plan: FleetPlan } | { type: 'go' } | { type: 'mark' } | { type: 'drain'; ms: number } | { type: 'stop' };

export type FromFleet =
  | { type: 'ready'; ready: FleetReady }
  | { type: 'counters'; counters: FleetCounters }
  | { type: 'drained'; waiting: number }
  | { type: 'result'; result: FleetResult }
  | { type: 'failed'; code: string; message: string };
