/**
 * Scoring a replayed scenario day against its truth: moves (right device, floors, and time within a
 * minute), anomalies (right device and kind, raised from the anomaly's time to an hour after it),
 * and the false-alert rate on normal traffic after the learning window, per 1,000 device-hours.
 */

export interface TruthMove {
  device: string;
  from: string;
  to: string;
  at: string;
}
export interface TruthAnomaly {
  device: string;
  kind: string;
  at: string;
  detail?: unknown;
  /** Kinds the same traffic also fairly shows (a scan's probes reach ports the model never used). */
  alsoMatches?: string[];
}
export interface ScenarioTruth {
  start: string;
  end: string;
  learningEnd: string;
  devices: { device: string }[];
  moves: TruthMove[];
  anomalies: TruthAnomaly[];
}

/** A move the hub recorded, with the floor names of its sensors' locations. */
export interface SeenMove {
  device: string;
  fromFloor: string;
  toFloor: string;
  at: string;
}
export interface SeenAlert {
  device: string;
  kind: string;
  at: string;
  title: string;
}

export const scoreDefaults = {
  /** A move counts when recorded within this of its true time. */
  moveToleranceMs: 60_000,
  /** An alert counts for an anomaly when raised from a minute before it to this long after. */
  alertWindowMs: 60 * 60_000,
};

export interface ScenarioScore {
  moves: { truth: number; recorded: number; matched: number; recall: number; precision: number; missed: TruthMove[]; extra: SeenMove[] };
  anomalies: { truth: number; alerts: number; matched: number; recall: number; precision: number; missed: TruthAnomaly[]; alsoShown: number };
  falseAlerts: { count: number; deviceHours: number; per1000DeviceHours: number; alerts: SeenAlert[] };
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

export function scoreScenario(truth: ScenarioTruth, moves: readonly SeenMove[], alerts: readonly SeenAlert[], o = scoreDefaults): ScenarioScore {
  const usedMoves = new Set<number>();
  const missedMoves: TruthMove[] = [];
  for (const t of truth.moves) {
    const i = moves.findIndex((m, k) => !usedMoves.has(k) && m.device === t.device && m.fromFloor === t.from && m.toFloor === t.to && Math.abs(Date.parse(m.at) - Date.parse(t.at)) <= o.moveToleranceMs);
    if (i >= 0) usedMoves.add(i);
    else missedMoves.push(t);
  }
  const extraMoves = moves.filter((_, k) => !usedMoves.has(k));

  const usedAlerts = new Set<number>();
  const missed: TruthAnomaly[] = [];
  for (const t of truth.anomalies) {
    const at = Date.parse(t.at);
    const i = alerts.findIndex((a, k) => !usedAlerts.has(k) && a.device === t.device && a.kind === t.kind && Date.parse(a.at) >= at - 60_000 && Date.parse(a.at) <= at + o.alertWindowMs);
    if (i >= 0) usedAlerts.add(i);
    else missed.push(t);
  }
  // An alert of a kind the truth says an anomaly's traffic also shows, on its device and in its window, is explained.
  const alsoShown = new Set<number>();
  alerts.forEach((a, k) => {
    if (usedAlerts.has(k)) return;
    const t = Date.parse(a.at);
    if (truth.anomalies.some((x) => x.device === a.device && (x.alsoMatches ?? []).includes(a.kind) && t >= Date.parse(x.at) - 60_000 && t <= Date.parse(x.at) + o.alertWindowMs)) alsoShown.add(k);
  });
  // Every other alert after learning is false: normal traffic raised it, or an anomaly under another kind.
  const learningEnd = Date.parse(truth.learningEnd);
  const falseAlerts = alerts.filter((a, k) => !usedAlerts.has(k) && !alsoShown.has(k) && Date.parse(a.at) >= learningEnd);
  const deviceHours = (truth.devices.length * (Date.parse(truth.end) - learningEnd)) / 3600_000;
  const matchedAlerts = usedAlerts.size;
  return {
    moves: { truth: truth.moves.length, recorded: moves.length, matched: usedMoves.size, recall: ratio(usedMoves.size, truth.moves.length), precision: ratio(usedMoves.size, moves.length), missed: missedMoves, extra: extraMoves },
    anomalies: { truth: truth.anomalies.length, alerts: alerts.length, matched: matchedAlerts, recall: ratio(matchedAlerts, truth.anomalies.length), precision: ratio(matchedAlerts, matchedAlerts + falseAlerts.length), missed, alsoShown: alsoShown.size },
    falseAlerts: { count: falseAlerts.length, deviceHours, per1000DeviceHours: deviceHours === 0 ? 0 : (falseAlerts.length / deviceHours) * 1000, alerts: falseAlerts },
  };
}

export function scoreText(s: ScenarioScore): string {
  const pct = (x: number): string => x.toFixed(3);
  const lines = [
    `moves      recall ${pct(s.moves.recall)}  precision ${pct(s.moves.precision)}  (${s.moves.matched} of ${s.moves.truth} true moves; ${s.moves.recorded} recorded)`,
    `anomalies  recall ${pct(s.anomalies.recall)}  precision ${pct(s.anomalies.precision)}  (${s.anomalies.matched} of ${s.anomalies.truth} injected; ${s.anomalies.alerts} alerts, ${s.anomalies.alsoShown} of them another side of an injected anomaly)`,
    `false alerts after learning: ${s.falseAlerts.count} in ${Math.round(s.falseAlerts.deviceHours)} device-hours = ${s.falseAlerts.per1000DeviceHours.toFixed(2)} per 1,000 device-hours`,
  ];
  for (const m of s.moves.missed) lines.push(`  missed move    ${m.device} ${m.from} -> ${m.to} at ${m.at}`);
  for (const m of s.moves.extra) lines.push(`  extra move     ${m.device} ${m.fromFloor} -> ${m.toFloor} at ${m.at}`);
  for (const a of s.anomalies.missed) lines.push(`  missed anomaly ${a.kind} ${a.device} at ${a.at}`);
  for (const a of s.falseAlerts.alerts) lines.push(`  false alert    ${a.kind} ${a.device} at ${a.at}: ${a.title}`);
  return lines.join('\n');
}
