/**
 * Where a device was, as spans of time on one floor each: every moment a sensor saw the device's
 * own frames is a point on that sensor's floor; consecutive points on one floor make a span; a
 * span on another floor after it is a move, at that span's first moment. Points may arrive in any
 * order (three sensors replaying at their own pace): each is put in its place in time, so the
 * history is the same whatever the order. Pure functions over plain records.
 */

/** A floor: site, building and floor of the sensors on it, joined. */
export type FloorKey = string;

export interface Span {
  floor: FloorKey;
  /** The sensor that saw the first moment of the span. */
  sensorId: string;
  start: string;
  end: string;
}

export interface Move {
  from: FloorKey;
  to: FloorKey;
  fromSensor: string;
  toSensor: string;
  /** The first moment the device was seen on its new floor. */
  at: string;
}

/** Spans kept per device: months of a device moving a few times a day. */
export const MAX_SPANS = 500;

export function floorKey(location: { site: string; building?: string | undefined; floor: string }): FloorKey {
  return [location.site, location.building ?? '', location.floor].join(' / ');
}

/**
 * Puts a point into the spans (sorted by start; mutated). Returns the span that now starts a new
 * stay on a floor, when the point began one (the device arrived there), else null. A point inside
 * another floor's span contradicts points on both sides of it and is set aside (returns null).
 */
export function addPoint(spans: Span[], floor: FloorKey, sensorId: string, at: string): { arrived: Span | null; contradicted: boolean } {
  // The last span starting at or before the point.
  let i = spans.length - 1;
  while (i >= 0 && (spans[i]?.start ?? '') > at) i--;
  const before = i >= 0 ? spans[i] : undefined;
  const after = spans[i + 1];
  if (before && at <= before.end) return { arrived: null, contradicted: before.floor !== floor };
  if (before?.floor === floor) {
    before.end = at;
    if (after?.floor === floor) {
      // The point joins two stays on one floor: they were one.
      before.end = after.end;
      spans.splice(i + 1, 1);
    }
    return { arrived: null, contradicted: false };
  }
  if (after?.floor === floor) {
    after.start = at;
    after.sensorId = sensorId;
    return { arrived: before ? after : null, contradicted: false };
  }
  const span: Span = { floor, sensorId, start: at, end: at };
  spans.splice(i + 1, 0, span);
  if (spans.length > MAX_SPANS) spans.splice(0, spans.length - MAX_SPANS);
  // The very first span is where the device was found, not where it moved to.
  return { arrived: spans.length > 1 && spans[0] !== span ? span : null, contradicted: false };
}

/** The moves a device's spans describe, oldest first. */
export function movesOf(spans: readonly Span[]): Move[] {
  const moves: Move[] = [];
  for (let k = 1; k < spans.length; k++) {
    const from = spans[k - 1];
    const to = spans[k];
    if (from && to && from.floor !== to.floor) moves.push({ from: from.floor, to: to.floor, fromSensor: from.sensorId, toSensor: to.sensorId, at: to.start });
  }
  return moves;
}

/** The floors a device was seen on before `until` (its stays that began earlier). */
export function floorsBefore(spans: readonly Span[], until: string): Set<FloorKey> {
  return new Set(spans.filter((s) => s.start < until).map((s) => s.floor));
}
