/** A plain server-rendered page listing the inventory: the dashboard's first form. */
import type { FastifyInstance } from 'fastify';
import type { Classifier } from '../inventory/classification.js';
import type { HubStore } from '../store/hub-store.js';
import { sensorIndex } from '../inventory/routes.js';
import { deviceView, type DeviceView } from '../inventory/views.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string | null | undefined): string => (s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function row(d: DeviceView): string {
  const where = d.location ? `${d.location.site} · floor ${d.location.floor}` : '';
  return `<tr><td>${esc(d.hostname)}</td><td><code>${esc(d.mac)}</code></td><td>${esc(d.ip)}</td><td>${esc(d.vendor)}</td><td>${esc(d.model)}</td><td>${esc(d.category)}</td><td>${esc(d.os)}</td><td>${esc(where)}</td><td>${esc(d.services.join(', '))}</td><td>${esc(d.lastSeen)}</td></tr>`;
}

export default async function pageRoutes(app: FastifyInstance, opts: { store: HubStore; classifier: Classifier }): Promise<void> {
  app.get('/', async (_request, reply) => {
    const sensors = await sensorIndex(opts.store);
    const devices = (await opts.store.listDevices()).map((d) => deviceView(d, sensors, opts.classifier.profile(d)));
    devices.sort((a, b) => (a.location?.floor ?? '').localeCompare(b.location?.floor ?? '') || (a.hostname ?? '').localeCompare(b.hostname ?? ''));
    const online = [...sensors.values()].filter((s) => s.state === 'online').length;
    reply.type('text/html; charset=utf-8').header('Content-Security-Policy', "default-src 'self'; style-src 'unsafe-inline'");
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wardsight — inventory</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b2430}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #dde3ea}th{background:#f3f6f9}code{font-size:13px}</style></head>
<body><h1>Wardsight</h1>
<p><strong id="device-count">${devices.length}</strong> devices · <strong>${online}</strong> of ${sensors.size} sensors online</p>
<table id="devices"><thead><tr><th>Hostname</th><th>MAC</th><th>IP</th><th>Vendor</th><th>Model</th><th>Category</th><th>OS</th><th>Location</th><th>Services</th><th>Last seen</th></tr></thead>
<tbody>${devices.map(row).join('\n')}</tbody></table></body></html>`;
  });
}
