/** What each device in a sensor's store is, by the rule library: the profile `wardsight read --devices` prints. */
import { ATTRIBUTES, classify, isSignalName, type Attribute, type ClassifyOptions, type Signal } from '@wardsight/classify';
import type { DeviceRecord } from '@wardsight/edge-core';

export interface DeviceProfileRow {
  device: string;
  /** Per attribute the best-supported value with its confidence and the rules behind it; absent = unknown. */
  profile: Partial<Record<Attribute, { value: string; confidence: number; because: string[] }>>;
  /** The facts the sensor reported, attribute → values. */
  facts: Record<string, string[]>;
}

/** A sensor's facts as the classifier's signals: the ones whose signal the rule library knows. */
export function signalsOfRecord(record: DeviceRecord): Signal[] {
  const signals: Signal[] = [];
  for (const byValue of Object.values(record.facts)) {
    for (const [value, fact] of Object.entries(byValue)) if (isSignalName(fact.signal)) signals.push({ signal: fact.signal, value });
  }
  return signals;
}

export function profileRows(records: readonly DeviceRecord[], options: ClassifyOptions = {}): DeviceProfileRow[] {
  return records
    .map((record) => {
      const profile = classify(signalsOfRecord(record), options);
      const row: DeviceProfileRow = { device: record.key, profile: {}, facts: {} };
      for (const attribute of ATTRIBUTES) {
        const best = profile[attribute].best;
        if (best) row.profile[attribute] = { value: best.value, confidence: Math.round(best.confidence * 100) / 100, because: [...new Set(best.evidence.map((e) => e.rule))] };
      }
      for (const [attribute, byValue] of Object.entries(record.facts)) row.facts[attribute] = Object.keys(byValue);
      return row;
    })
    .sort((a, b) => (a.device < b.device ? -1 : 1));
}

/** One line per device: key, then vendor / model / category / OS / software, `?` where unknown. */
export function profileTable(rows: readonly DeviceProfileRow[]): string {
  const shown: Attribute[] = ['vendor', 'model', 'category', 'os', 'softwareVersion', 'hostname'];
  const header = ['device', ...shown];
  const cells = rows.map((r) => [r.device, ...shown.map((a) => r.profile[a]?.value ?? '?')]);
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length))));
  const line = (c: readonly string[]) => c.map((v, i) => v.slice(0, 40).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}
