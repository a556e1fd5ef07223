/**
 * The hub's analysis: it takes the store's journal (what each applied message showed, written in
 * the same batch as the message) in order, and keeps where each device is and was, what normal
 * looks like for it and its model, and raises what departs from normal. One worker, in order; an
 * entry leaves the journal only after what it changed is written, so a crash repeats work rather
 * than losing it (the alert book folds a repeated finding into its alert).
 */
import type { Logger } from 'pino';
import type { DeviceBehaviour, DeviceKey } from '@wardsight/protocol';
import type { AlertFinding } from '../alerts/alert.js';
import { learn, modelBehaviour, newBaseline, type DeviceBaseline, type ModelBehaviour } from '../behaviour/baseline.js';
import { detectorDefaults, examine, scanFinding, type DetectorOptions } from '../behaviour/detectors.js';
import type { Classifier } from '../inventory/classification.js';
import { addPoint, floorKey, floorsBefore, type FloorKey, type Span } from '../location/presence.js';
import type { HubMetrics } from '../metrics.js';
import type { ExposureBook } from '../risk/exposure.js';
import type { Collection, HubStore, JournalEntry } from '../store/hub-store.js';

export const analysisDefaults = {
  /** How long a device's behaviour is learnt from its first report before departures are raised. */
  learningWindowMs: 7 * 24 * 60 * 60_000,
  /** Journal entries taken per step. */
  batch: 200,
  /**
   * Entries wait, in memory, until every sensor still reporting has reported past their capture
   * time, so that the analysis sees the fleet's reports in time order (a sensor catching up after
   * an outage, captures replayed side by side); at most this long by the hub's clock.
   */
  maxHoldMs: 60_000,
  /** A sensor silent this long (hub clock) no longer holds the others back. */
  silentSensorMs: 5 * 60_000,
  /** …nor one offline this long: a sensor that reconnects is offline for a moment, and still has reports on the way. */
  offlineGraceMs: 30_000,
  /** Entries held at most; past this the oldest go ahead. */
  maxHeld: 100_000,
  /** Sensors on non-clinical segments (a new device there is not raised); all others are clinical. */
  nonClinicalSensors: [] as string[],
  detectors: detectorDefaults as DetectorOptions,
  /**
   * Another hub instance on the same store analyses the journal; this one answers from what was
   * kept when it opened and waits to take over (`lead()`).
   */
  standby: false,
};
export type AnalysisOptions = typeof analysisDefaults;

/** What the analysis asks of the sensor register. */
export interface SensorDirectory {
  /** Where a sensor is, by its register entry. */
  locate(sensorId: string): Promise<{ site: string; building?: string; floor: string } | undefined>;
  /** Sensors registered and not revoked: one that has not reported yet may be about to. */
  active(): Promise<string[]>;
}

const NO_REGISTER: SensorDirectory = { locate: () => Promise.resolve(undefined), active: () => Promise.resolve([]) };

/** Where findings go: the alert book. */
export interface FindingSink {
  raise(finding: AlertFinding): Promise<unknown>;
}

const FLEET_START = 'fleet-start';
/** Journal entries read in one pass before what is ready is analysed. */
const READ_PER_PASS = 5000;
/** How long a worked-out watermark stands. */
const WATERMARK_MS = 250;
/** How often held entries are looked at again when no new entry comes. */
const HOLD_CHECK_MS = 1000;

/** A journal entry waiting for its turn: the latest capture time it speaks of, and when it came. */
interface Held {
  entry: JournalEntry;
  time: string;
  arrived: number;
}

/** The latest capture time an entry speaks of. */
function timeOf(entry: JournalEntry): string {
  if (entry.kind === 'behaviour') return entry.intervalEnd;
  let latest = '';
  for (const s of entry.sightings) for (const p of s.points) if (p > latest) latest = p;
  return latest;
}

export class Analysis {
  private readonly baselines = new Map<DeviceKey, DeviceBaseline>();
  private readonly presence = new Map<DeviceKey, Span[]>();
  private readonly dirtyBaselines = new Set<DeviceKey>();
  private readonly dirtyPresence = new Set<DeviceKey>();
  private readonly floors = new Map<string, FloorKey | null>();
  /** Arrivals on a floor not yet judged (see judgeArrival). */
  private readonly arrivals = new Map<DeviceKey, Span>();
  private fleetStart: string | null = null;
  /** Entries read from the journal and not yet analysed, and the last one read. */
  private held: Held[] = [];
  private cursor: string | undefined;
  /** Each sensor's latest capture time reported. */
  private readonly sensorLatest = new Map<string, string>();
  /** Analyse everything held now, in time order, without waiting for slower sensors. */
  private releaseAll = false;
  private cachedWatermark: { at: number; value: string } | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private closed = false;
  private exposure: ExposureBook | null = null;
  private leading = true;
  /** What the analysis has done since start (the hub's metrics show it). */
  readonly counters: HubMetrics['analysis'];

  private constructor(
    private readonly store: HubStore,
    private readonly classifier: Classifier,
    private readonly sink: FindingSink,
    private readonly o: AnalysisOptions,
    private readonly log: Logger,
    private readonly kept: { baselines: Collection; presence: Collection; state: Collection },
    private readonly register: SensorDirectory,
    counters: HubMetrics['analysis'] | undefined,
  ) {
    this.counters = counters ?? { entries: 0, findings: 0, held: 0, backlog: 0, contradictedPoints: 0 };
    this.timer = setInterval(() => {
      if (this.held.length > 0) this.wake();
    }, HOLD_CHECK_MS);
    this.timer.unref();
  }

  /** `register`: the sensor register, where it is known (the technician's word on where each sensor is). */
  /** `counters`: where to count what it does (the hub's metrics); its own otherwise. */
  static async open(
    store: HubStore,
    classifier: Classifier,
    sink: FindingSink,
    options: Partial<AnalysisOptions>,
    log: Logger,
    register: SensorDirectory = NO_REGISTER,
    counters?: HubMetrics['analysis'],
  ): Promise<Analysis> {
    const o = { ...analysisDefaults, ...options };
    const kept = { baselines: store.collection('baselines'), presence: store.collection('presence'), state: store.collection('analysis') };
    const a = new Analysis(store, classifier, sink, o, log, kept, register, counters);
    await a.load();
    a.leading = !o.standby;
    store.onJournal(() => a.wake());
    a.wake();
    return a;
  }

  /** Reads what the analysis keeps: baselines, presence, the fleet's start. */
  private async load(): Promise<void> {
    this.baselines.clear();
    this.presence.clear();
    for await (const [key, value] of this.kept.baselines.entries()) this.baselines.set(key, JSON.parse(value) as DeviceBaseline);
    for await (const [key, value] of this.kept.presence.entries()) this.presence.set(key, JSON.parse(value) as Span[]);
    this.fleetStart = (await this.kept.state.get(FLEET_START)) ?? null;
  }

  /**
   * Takes over the journal from an instance that led before: reads again what it kept (and what
   * each device exposes), then analyses from the oldest entry it left undone.
   */
  async lead(): Promise<void> {
    if (this.leading || this.closed) return;
    await this.load();
    await this.exposure?.reload();
    this.leading = true;
    this.log.info('this hub instance now analyses the journal');
    this.wake();
  }

  /** Whether this instance analyses the journal (false while another instance does). */
  get isLeading(): boolean {
    return this.leading;
  }

  /** Analyses what the journal holds, now or after the step under way. */
  wake(): void {
    if (this.closed || !this.leading) return;
    this.again = true;
    this.running = this.running.then(async () => {
      while (this.again && !this.closed) {
        this.again = false;
        await this.drain().catch((err: unknown) => this.log.error({ err }, 'analysis step failed; the journal keeps its entries'));
      }
    });
  }

  /**
   * Resolves once everything journalled so far is analysed. `release`: without waiting for sensors
   * that are behind (every sensor has finished, as at the end of a replay).
   */
  async idle(options: { release?: boolean } = {}): Promise<void> {
    if (options.release) this.releaseAll = true;
    this.cachedWatermark = null;
    this.wake();
    await this.running;
    this.releaseAll = false;
  }

  /** Entries read but waiting for slower sensors. */
  get heldEntries(): number {
    return this.held.length;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.closed = true;
  }

  private async drain(): Promise<void> {
    for (;;) {
      // Read what the journal has (up to a pass's worth), then analyse what is ready, in chunks.
      let read = 0;
      let more = true;
      while (more && read < READ_PER_PASS) {
        const entries = await this.store.readJournal(this.o.batch, this.cursor);
        const now = Date.now();
        for (const entry of entries) {
          const time = timeOf(entry);
          this.held.push({ entry, time, arrived: now });
          if (time > (this.sensorLatest.get(entry.sensorId) ?? '')) this.sensorLatest.set(entry.sensorId, time);
          this.cursor = entry.id;
        }
        read += entries.length;
        // Entries done before a restart leave gaps: the journal is read to its last entry written.
        more = entries.length > 0 && Number(this.cursor ?? 0) < this.store.journalWritten;
      }
      const ready = await this.takeReady(Date.now());
      // Where each sensor is, asked once a pass (a technician may have moved one since the last).
      this.floors.clear();
      for (let i = 0; i < ready.length; i += this.o.batch) {
        const chunk = ready.slice(i, i + this.o.batch);
        for (const { entry } of chunk) {
          if (entry.kind === 'observations') await this.onObservations(entry);
          else await this.onBehaviour(entry);
          this.counters.entries += 1;
        }
        await this.persist();
        await this.store.completeJournal(chunk.map((h) => h.entry.id));
      }
      this.counters.held = this.held.length;
      this.counters.backlog = this.held.length + Math.max(0, this.store.journalWritten - Number(this.cursor ?? 0));
      if (!more) return;
    }
  }

  /**
   * The capture time up to which every sensor still reporting has reported: worked out at most every
   * WATERMARK_MS (it reads every sensor's record), at once when asked to settle.
   */
  private async watermark(now: number): Promise<string> {
    if (this.cachedWatermark !== null && now - this.cachedWatermark.at < WATERMARK_MS) return this.cachedWatermark.value;
    let watermark = '\uffff';
    const heard = await this.store.listSensors();
    for (const sensor of heard) {
      // Gone for good, or only reconnecting (its last will, then a new connection a moment later).
      const gone = sensor.state === 'offline' && now - Date.parse(sensor.stateChangedAt ?? sensor.lastMessageAt) >= this.o.offlineGraceMs;
      if (gone || now - Date.parse(sensor.lastMessageAt) > this.o.silentSensorMs) continue;
      // A sensor connected but with nothing reported yet holds everything back (for at most maxHoldMs).
      const latest = this.sensorLatest.get(sensor.id) ?? '';
      if (latest < watermark) watermark = latest;
    }
    // A registered sensor not heard from yet, soon after the hub started, may be about to report
    // the past (sensors starting together): it holds everything back too, for at most maxHoldMs.
    if (now - this.startedAt < this.o.silentSensorMs) {
      const known = new Set(heard.map((s) => s.id));
      if ((await this.register.active()).some((id) => !known.has(id))) watermark = '';
    }
    this.cachedWatermark = { at: now, value: watermark };
    return watermark;
  }

  /**
   * The held entries whose turn has come, in capture-time order: every sensor still reporting has
   * reported past them, or they have waited long enough, or everything is released.
   */
  private async takeReady(now: number): Promise<Held[]> {
    const watermark = this.releaseAll ? '\uffff' : await this.watermark(now);
    this.held.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.entry.id < b.entry.id ? -1 : 1));
    const overflow = this.held.length - this.o.maxHeld;
    const ready: Held[] = [];
    const waiting: Held[] = [];
    this.held.forEach((h, i) => {
      if (this.releaseAll || i < overflow || h.time <= watermark || now - h.arrived >= this.o.maxHoldMs) ready.push(h);
      else waiting.push(h);
    });
    this.held = waiting;
    return ready;
  }

  private async persist(): Promise<void> {
    const ops = (keys: Set<DeviceKey>, from: Map<DeviceKey, unknown>) => [...keys].map((key) => ({ type: 'put' as const, key, value: JSON.stringify(from.get(key)) }));
    await this.kept.baselines.batch(ops(this.dirtyBaselines, this.baselines));
    await this.kept.presence.batch(ops(this.dirtyPresence, this.presence));
    if (this.fleetStart) await this.kept.state.put(FLEET_START, this.fleetStart);
    this.dirtyBaselines.clear();
    this.dirtyPresence.clear();
    await this.exposure?.persist();
  }

  private async floorOf(sensorId: string): Promise<FloorKey | null> {
    if (!this.floors.has(sensorId)) {
      const location = (await this.register.locate(sensorId)) ?? (await this.store.getSensor(sensorId))?.location;
      this.floors.set(sensorId, location ? floorKey(location) : null);
    }
    return this.floors.get(sensorId) ?? null;
  }

  private noteTime(at: string): void {
    if (this.fleetStart === null || at < this.fleetStart) this.fleetStart = at;
  }

  private fleetLearning(at: string): boolean {
    return this.fleetStart === null || Date.parse(at) < Date.parse(this.fleetStart) + this.o.learningWindowMs;
  }

  private async raise(findings: AlertFinding[]): Promise<void> {
    for (const f of findings) {
      await this.sink.raise(f);
      this.counters.findings += 1;
    }
  }

  private async onObservations(entry: Extract<JournalEntry, { kind: 'observations' }>): Promise<void> {
    for (const s of entry.sightings) {
      if (s.routed || s.points.length === 0) continue;
      this.noteTime(s.points[0] ?? '');
      await this.place(s.device, entry.sensorId, s.points);
    }
  }

  private async onBehaviour(entry: Extract<JournalEntry, { kind: 'behaviour' }>): Promise<void> {
    for (const d of entry.devices) {
      this.noteTime(d.firstSeen);
      await this.place(d.device, entry.sensorId, [d.firstSeen, d.lastSeen]);
      await this.judgeArrival(d.device, entry.sensorId);
      await this.judge(d, entry.sensorId);
    }
  }

  /**
   * Puts sightings in the device's history. Its first sighting of all, after the fleet's learning
   * window and on a clinical segment, is a new device; an arrival on another floor waits to be
   * judged (judgeArrival). Entries come in capture-time order, so "first" is first in time,
   * whichever sensor's report reached the hub first.
   */
  private async place(device: DeviceKey, sensorId: string, points: readonly string[]): Promise<void> {
    const floor = await this.floorOf(sensorId);
    if (floor === null) return;
    let spans = this.presence.get(device);
    if (!spans) {
      this.presence.set(device, (spans = []));
      const first = points.reduce((a, b) => (b < a ? b : a), points[0] ?? '');
      if (!this.fleetLearning(first) && !this.o.nonClinicalSensors.includes(sensorId)) {
        await this.raise([{ kind: 'new-device-clinical-segment', severity: 'medium', device, sensorId, title: `new device on ${floor}`, evidence: { sensor: sensorId, floor, firstSeen: first }, at: first, dedup: '' }]);
      }
    }
    for (const at of points) {
      const { arrived, contradicted } = addPoint(spans, floor, sensorId, at);
      if (contradicted) this.counters.contradictedPoints += 1;
      this.dirtyPresence.add(device);
      if (arrived) this.arrivals.set(device, arrived);
    }
  }

  /**
   * An arrival on a floor is judged with the device's first behaviour there: by then that floor's
   * sensor has reported the behaviour of the units already there (one sensor's reports come in
   * order), so "its model was seen here" is known.
   */
  private async judgeArrival(device: DeviceKey, sensorId: string): Promise<void> {
    const arrived = this.arrivals.get(device);
    if (!arrived || arrived.floor !== (await this.floorOf(sensorId))) return;
    this.arrivals.delete(device);
    const base = this.baselines.get(device);
    if (!base || arrived.start < base.learnUntil) return;
    const known = floorsBefore(this.presence.get(device) ?? [], base.learnUntil);
    await this.refreshModels();
    const model = base.model ? this.modelOf(base.model) : null;
    if (known.has(arrived.floor) || model?.floors.includes(arrived.floor)) return;
    await this.raise([
      {
        kind: 'unexpected-floor',
        severity: 'medium',
        device,
        sensorId,
        title: `on ${arrived.floor}, where neither it nor its model was seen`,
        evidence: { floor: arrived.floor, knownFloors: [...known].join('; '), model: base.model ?? '', modelUnits: model?.units ?? 0, modelFloors: model?.floors.join('; ') ?? '' },
        at: arrived.start,
        dedup: arrived.floor,
      },
    ]);
  }

  private async judge(d: DeviceBehaviour, sensorId: string): Promise<void> {
    this.exposure?.learn(d);
    let base = this.baselines.get(d.device);
    if (!base) {
      base = newBaseline(d.device, d.firstSeen, this.o.learningWindowMs);
      this.baselines.set(d.device, base);
    }
    this.dirtyBaselines.add(d.device);
    // Until the device's model is known (not just its vendor and kind), ask again: its identifying
    // facts may reach the hub after its first behaviour.
    if (base.model === null || base.model.endsWith(')')) base.model = (await this.modelName(d.device)) ?? base.model;
    if (d.firstSeen < base.learnUntil) {
      learn(base, d.peers, d.bytes, d.firstSeen);
      const scan = scanFinding({ device: d, sensorId, base, model: null }, this.o.detectors);
      if (scan) await this.raise([scan]);
      return;
    }
    await this.raise(examine({ device: d, sensorId, base, model: base.model ? this.modelOf(base.model) : null }, this.o.detectors));
  }

  /**
   * Asks again the model of every baseline that knows only its device's vendor and kind: a unit's
   * identifying facts may have come after its last behaviour, and its model's floors and habits
   * should count as soon as they can.
   */
  private async refreshModels(): Promise<void> {
    for (const base of this.baselines.values()) {
      if (base.model !== null && !base.model.endsWith(')')) continue;
      const model = await this.modelName(base.device);
      if (model !== null && model !== base.model) {
        base.model = model;
        this.dirtyBaselines.add(base.device);
      }
    }
  }

  /**
   * `vendor / model` as the inventory classifies the device; while the model is unknown, the
   * vendor and category in parentheses (`B. Braun / (infusion pump)`), so that units of one kind
   * still learn together; null while even the vendor is unknown.
   */
  private async modelName(device: DeviceKey): Promise<string | null> {
    const record = await this.store.getDevice(device);
    if (!record) return null;
    const { profile } = this.classifier.profile(record);
    const vendor = profile.vendor.best?.value;
    const model = profile.model.best?.value;
    if (model) return `${vendor ?? 'unknown'} / ${model}`;
    return vendor ? `${vendor} / (${profile.category.best?.value ?? 'unknown model'})` : null;
  }

  /** From now on, also learns what each device exposes to whom (for risk). */
  trackExposure(book: ExposureBook): void {
    this.exposure = book;
  }

  /** A model's expected behaviour: its units' baselines together. */
  modelOf(model: string): ModelBehaviour {
    const units = [...this.baselines.values()].filter((b) => b.model === model);
    return modelBehaviour(model, units, (device) => {
      const unit = this.baselines.get(device);
      return unit ? [...floorsBefore(this.presence.get(device) ?? [], unit.learnUntil)] : [];
    });
  }

  /** Every model with a baseline. */
  models(): string[] {
    return [...new Set([...this.baselines.values()].map((b) => b.model).filter((m): m is string => m !== null))].sort();
  }

  spans(device: DeviceKey): readonly Span[] {
    return this.presence.get(device) ?? [];
  }

  allSpans(): ReadonlyMap<DeviceKey, readonly Span[]> {
    return this.presence;
  }

  baseline(device: DeviceKey): DeviceBaseline | undefined {
    return this.baselines.get(device);
  }
}
