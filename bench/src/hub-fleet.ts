/**
 * A fleet of simulated sensors in one process: enrols them all through the hub's HTTPS enrolment,
 * connects them all over MQTT/TLS, then on `go` has each publish its own hospital devices' facts
 * until `drain` or `stop`, sending again whatever stays unacknowledged past the confirm timeout.
 * Counters are read at marks the benchmark sets, on this process's own clock.
 */
import { BenchSensor, type FleetTally, type SensorIdentity } from './hub-fleet-sensor.js';
import type { FleetCounters, FleetPlan, FleetReady, FleetResult } from './hub-fleet-messages.js';
import { HubApi, inParallel } from './hub-https.js';
import { factsOf, fleetDevices, ObservationSource } from './hub-observations.js';
import { SendWindow } from './hub-fleet-window.js';

export class Fleet {
  private readonly tally: FleetTally = {
    publishedBatches: 0,
    ackedBatches: 0,
    ackedObservations: 0,
    resentBatches: 0,
    rejected: {},
    disconnects: 0,
    errors: 0,
    firstError: null,
    ackLatencyMs: [],
    timing: false,
  };

  private resender: NodeJS.Timeout | undefined;

  private constructor(
    private readonly sensors: BenchSensor[],
    private readonly plan: FleetPlan,
  ) {}

  /** Enrols and connects every sensor of the plan; resolves once all are connected and subscribed. */
  static async prepare(plan: FleetPlan): Promise<{ fleet: Fleet; ready: FleetReady }> {
    const devices = fleetDevices(plan.totalSensors, plan.devicesPerSensor, plan.seed);
    const firstSeen = new Date().toISOString();
    const sensors: BenchSensor[] = [];
    const fleet = new Fleet(sensors, plan);
    const window = new SendWindow(plan.window);
    for (const s of plan.sensors) {
      const own = (devices[s.index] ?? []).map(factsOf);
      sensors.push(new BenchSensor(s.id, new ObservationSource(s.id, own, firstSeen), fleet.tally, window, { batch: plan.batch, inFlight: plan.inFlight, confirmTimeoutMs: plan.confirmTimeoutMs, reportDevices: plan.reportDevices }));
    }
    const api = new HubApi(plan.apiUrl, plan.ca, undefined, plan.enrolConcurrency);
    const enrolStart = performance.now();
    let identities: SensorIdentity[];
    try {
      identities = await inParallel(sensors, plan.enrolConcurrency, (sensor, i) => sensor.enrol(api, (plan.sensors[i] as FleetPlan['sensors'][number]).token));
    } finally {
      api.close();
    }
    const connectStart = performance.now();
    try {
      await inParallel(sensors, plan.connectConcurrency, (sensor, i) => sensor.connect(plan.mqttUrl, plan.ca, identities[i] as SensorIdentity));
    } catch (err) {
      await Promise.all(sensors.map((s) => s.close()));
      throw err;
    }
    const ready: FleetReady = { sensors: sensors.length, enrolSeconds: (connectStart - enrolStart) / 1000, connectSeconds: (performance.now() - connectStart) / 1000 };
    return { fleet, ready };
  }

  go(): void {
    for (const s of this.sensors) s.start();
    // Checked several times per timeout, so a batch goes again at most a quarter of one late.
    const every = Math.max(50, Math.min(1000, this.plan.confirmTimeoutMs / 4));
    this.resender = setInterval(() => {
      const now = performance.now();
      for (const s of this.sensors) s.resendOverdue(now);
    }, every);
  }

  /** Stops new batches; resolves with the number still unacknowledged once none is, or after `ms`. */
  async drain(ms: number): Promise<number> {
    for (const s of this.sensors) s.stop();
    const deadline = performance.now() + ms;
    let waiting = this.waiting();
    while (waiting > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      waiting = this.waiting();
    }
    return waiting;
  }

  private waiting(): number {
    return this.sensors.reduce((n, s) => n + s.waiting, 0);
  }

  /** The totals now; the first mark also starts keeping acknowledgement latencies. */
  mark(): FleetCounters {
    this.tally.timing = true;
    const cpu = process.cpuUsage();
    return { at: performance.now(), ackedBatches: this.tally.ackedBatches, ackedObservations: this.tally.ackedObservations, cpuMs: (cpu.user + cpu.system) / 1000 };
  }

  /** Stops publishing, disconnects every sensor and says how the run went. */
  async stop(): Promise<FleetResult> {
    clearInterval(this.resender);
    for (const s of this.sensors) s.stop();
    const t = this.tally;
    const result: FleetResult = {
      sensors: this.sensors.length,
      connectedThroughout: this.sensors.filter((s) => !s.dropped).length,
      publishedBatches: t.publishedBatches,
      ackedBatches: t.ackedBatches,
      ackedObservations: t.ackedObservations,
      resentBatches: t.resentBatches,
      rejected: { ...t.rejected },
      disconnects: t.disconnects,
      errors: t.errors,
      firstError: t.firstError,
      ackLatencyMs: t.ackLatencyMs,
    };
    if (this.sensors[0]?.acknowledged) result.acknowledgedDevices = Object.fromEntries(this.sensors.map((s) => [s.id, [...(s.acknowledged ?? [])]]));
    if (this.plan.reportBatches) result.lastSeqs = Object.fromEntries(this.sensors.map((s) => [s.id, s.lastSeq]));
    await Promise.all(this.sensors.map((s) => s.close()));
    return result;
  }
}
