/** The benchmark's printed forms: a table for people, one JSON object for machines. */
import type { EdgeBenchReport, ScalingReport } from './edge.js';

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function edgeTable(r: EdgeBenchReport): string {
  const rows = Object.entries(r.tools).map(([name, t]) => [name, fmt(t.pps), fmt(t.mbps, 1), fmt(t.rssMB, 1), name === 'wardsight' ? '' : `${fmt(r.ratios[name] ?? 0, 2)}×`]);
  const head = ['tool', 'packets/s', 'Mbit/s', 'peak RSS MB', 'wardsight ÷ tool'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [`input: ${fmt(r.input.packets)} packets, ${fmt(r.input.devices)} devices, ${fmt(r.input.bytes / 1e6, 1)} MB on the wire (${r.input.file})`, line(head), ...rows.map(line)];
  if (r.missing.length > 0) out.push(`not installed: ${r.missing.join(', ')}`);
  for (const [name, why] of Object.entries(r.failed)) out.push(`${name} failed: ${why.trim().split('\n').pop() ?? ''}`);
  return out.join('\n');
}

export function edgeJson(r: EdgeBenchReport): string {
  const tools = Object.fromEntries(Object.entries(r.tools).map(([n, t]) => [n, { pps: Math.round(t.pps), mbps: Math.round(t.mbps * 10) / 10, rssMB: Math.round(t.rssMB * 10) / 10 }]));
  const ratios = Object.fromEntries(Object.entries(r.ratios).map(([n, v]) => [n, Math.round(v * 100) / 100]));
  return JSON.stringify({ tools, ratios, input: { packets: r.input.packets, devices: r.input.devices, bytes: r.input.bytes }, missing: r.missing, failed: r.failed });
}

export function scalingTable(s: ScalingReport): string {
  const lines = s.points.map((p) => `${fmt(p.devices).padStart(8)} devices  ${fmt(p.pps).padStart(12)} packets/s  ${fmt(p.rssMB, 1).padStart(8)} MB`);
  return [`wardsight on ${fmt(s.packets)} packets as the device count grows:`, ...lines, `spread: ${fmt(s.spreadPct, 1)} %`].join('\n');
}
