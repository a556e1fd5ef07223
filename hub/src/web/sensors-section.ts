/**
 * The dashboard's Sensors section: one row per sensor with where it is, whether it is up, and its
 * latest health (CPU, temperature, memory, disk, capture and drops, outbox, clock, version, uptime).
 * Each row and cell carries a `data-` name, so that a reader (or a test) can find a figure by what
 * it is rather than by its column.
 */
import type { Health, Location } from '@wardsight/protocol';
import type { SensorView } from '../sensors/routes.js';
import { duration, esc, megabytes, NONE, num, offset, utc } from './html.js';

export const sensorsSectionDefaults = {
  /** A clock further off than this is marked: certificate checks and event times start to mislead. */
  clockWarnMs: 2000,
  /** A file system fuller than this share is marked. */
  diskWarnShare: 0.9,
};

const STATE_LABELS: Record<SensorView['state'], string> = { online: 'online', offline: 'offline', unknown: 'unknown' };

function where(l: Location | null): string {
  if (!l) return NONE;
  return [l.site, l.building, `floor ${l.floor}`, l.zone].filter((part): part is string => Boolean(part)).join(' · ');
}

function cell(field: string, text: string, extra: { title?: string; warn?: boolean } = {}): string {
  const title = extra.title ? ` title="${esc(extra.title)}"` : '';
  const warn = extra.warn ? ' class="warn"' : '';
  return `<td data-field="${field}"${warn}${title}>${esc(text)}</td>`;
}

function cpu(h: Health): string {
  const load = h.cpuLoadPct == null ? NONE : `${num(h.cpuLoadPct)} %`;
  return h.loadAvg ? `${load} (load ${h.loadAvg.map((n) => n.toFixed(2)).join(' ')})` : load;
}

function memory(h: Health): string {
  return h.memory ? `${megabytes(h.memory.usedMB)} of ${megabytes(h.memory.totalMB)}` : NONE;
}

function disk(h: Health): { text: string; title?: string; warn: boolean } {
  if (!h.disk) return { text: NONE, warn: false };
  const { path, usedMB, totalMB, freeMB } = h.disk;
  return { text: `${megabytes(freeMB)} free of ${megabytes(totalMB)}`, title: `${path}: ${megabytes(usedMB)} used`, warn: totalMB > 0 && usedMB / totalMB > sensorsSectionDefaults.diskWarnShare };
}

/** Packets the sensor could not look at: libpcap's and the interface's drops, and the sensor's own. */
function drops(h: Health): number {
  return h.capture.dropped + h.capture.ifDropped + h.capture.queueDrops;
}

function healthCells(s: SensorView): string {
  const h = s.health;
  if (!h) return `<td colspan="11" data-field="health">no health report yet</td>`;
  const d = disk(h);
  const clock = h.clockOffsetMs;
  return [
    cell('health-at', s.healthAt ? utc(s.healthAt) : NONE, { warn: s.stale, ...(s.stale ? { title: 'no health report for more than three intervals' } : {}) }),
    cell('cpu', cpu(h), h.cpuPct == null ? {} : { title: `sensor process: ${num(h.cpuPct)} % of one core` }),
    cell('temperature', h.temperatureC == null ? NONE : `${num(h.temperatureC)} °C`, h.temperatureC == null ? { title: 'no temperature sensor on this board' } : {}),
    cell('memory', memory(h), { title: `sensor process: ${num(h.memRssMB)} MB resident, ${num(h.peakRssMB)} MB at most` }),
    cell('disk', d.text, { warn: d.warn, ...(d.title ? { title: d.title } : {}) }),
    cell('packets', num(h.capture.packets)),
    cell('drops', num(drops(h)), { warn: drops(h) > 0, title: `libpcap ${num(h.capture.dropped)}, interface ${num(h.capture.ifDropped)}, sensor queue ${num(h.capture.queueDrops)}` }),
    cell('outbox', num(h.outbox?.depth ?? h.outboxDepth)),
    cell('clock', clock == null ? NONE : offset(clock), { warn: clock != null && Math.abs(clock) > sensorsSectionDefaults.clockWarnMs, title: 'hub clock minus sensor clock' }),
    cell('version', h.version),
    cell('uptime', duration(h.uptimeS)),
  ].join('');
}

function row(s: SensorView): string {
  return `<tr data-sensor="${esc(s.id)}" data-state="${s.state}"${s.stale ? ' data-stale="true"' : ''}>${cell('id', s.id)}${cell('location', where(s.location))}${cell('state', STATE_LABELS[s.state], { warn: s.state !== 'online', ...(s.stateChangedAt ? { title: `since ${utc(s.stateChangedAt)}` } : {}) })}${healthCells(s)}</tr>`;
}

export const SENSORS_SECTION_STYLE = '.warn{color:#b3261e;font-weight:600}';

/** The section's HTML: a heading and a table, or a line saying no sensor has reported yet. */
export function renderSensorsSection(sensors: readonly SensorView[]): string {
  const head = '<tr><th>Sensor</th><th>Location</th><th>State</th><th>Last health</th><th>CPU</th><th>Temperature</th><th>Memory</th><th>Disk</th><th>Packets</th><th>Drops</th><th>Outbox</th><th>Clock offset</th><th>Version</th><th>Uptime</th></tr>';
  const body = sensors.length === 0 ? '<p id="no-sensors">No sensor has reported yet.</p>' : `<table id="sensors"><thead>${head}</thead>\n<tbody>${sensors.map(row).join('\n')}</tbody></table>`;
  return `<section id="sensors-section"><h2>Sensors</h2>\n${body}</section>`;
}
