/**
 * The dashboard's first form, a plain server-rendered page: the sensors with their state and latest
 * health, then the inventory. It reloads itself every `refreshS` (a meta refresh: the page sends no
 * script, and its Content-Security-Policy allows none).
 */
import type { FastifyInstance } from 'fastify';
import type { Classifier } from '../inventory/classification.js';
import type { HubStore } from '../store/hub-store.js';
import { sensorIndex } from '../inventory/routes.js';
import { deviceView, type DeviceView } from '../inventory/views.js';
import { listSensorViews } from '../sensors/routes.js';
import { esc } from './html.js';
import { renderSensorsSection, SENSORS_SECTION_STYLE } from './sensors-section.js';

export const pageDefaults = {
  /** Often enough to see a sensor go offline within a minute, seldom enough to read the page. */
  refreshS: 30,
};

function row(d: DeviceView): string {
  const where = d.location ? `${d.location.site} · floor ${d.location.floor}` : '';
  return `<tr><td>${esc(d.hostname)}</td><td><code>${esc(d.mac)}</code></td><td>${esc(d.ip)}</td><td>${esc(d.vendor)}</td><td>${esc(d.model)}</td><td>${esc(d.category)}</td><td>${esc(d.os)}</td><td>${esc(where)}</td><td>${esc(d.services.join(', '))}</td><td>${esc(d.lastSeen)}</td></tr>`;
}

export default async function pageRoutes(app: FastifyInstance, opts: { store: HubStore; classifier: Classifier }): Promise<void> {
  app.get('/', async (_request, reply) => {
    const sensors = await sensorIndex(opts.store);
    const sensorViews = await listSensorViews(opts.store);
    const devices = (await opts.store.listDevices()).map((d) => deviceView(d, sensors, opts.classifier.profile(d)));
    devices.sort((a, b) => (a.location?.floor ?? '').localeCompare(b.location?.floor ?? '') || (a.hostname ?? '').localeCompare(b.hostname ?? ''));
    const online = sensorViews.filter((s) => s.state === 'online').length;
    reply.type('text/html; charset=utf-8').header('Content-Security-Policy', "default-src 'self'; style-src 'unsafe-inline'");
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${pageDefaults.refreshS}"><title>Wardsight — inventory</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b2430}table{border-collapse:collapse;width:100%;margin-bottom:2rem}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #dde3ea}th{background:#f3f6f9}code{font-size:13px}${SENSORS_SECTION_STYLE}</style></head>
<body><h1>Wardsight</h1>
<p><strong id="device-count">${devices.length}</strong> devices · <strong id="sensors-online">${online}</strong> of ${sensorViews.length} sensors online</p>
${renderSensorsSection(sensorViews)}
<h2>Devices</h2>
<table id="devices"><thead><tr><th>Hostname</th><th>MAC</th><th>IP</th><th>Vendor</th><th>Model</th><th>Category</th><th>OS</th><th>Location</th><th>Services</th><th>Last seen</th></tr></thead>
<tbody>${devices.map(row).join('\n')}</tbody></table></body></html>`;
  });
}
