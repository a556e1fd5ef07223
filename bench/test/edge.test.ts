/**
 * The edge benchmark's harness on a tiny mix: every installed tool runs on the same file and gets a
 * rate; the JSON has the shape `{tools, ratios}`. No timing threshold: the figures are the output.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PEERS, edgeJson, hasGnuTime, runEdgeBench } from '../src/index.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(!hasGnuTime())('edge benchmark harness', () => {
  it('times wardsight and every installed peer on one file', async () => {
    const report = await runEdgeBench({ repo: REPO, packets: 3000, devices: 60, seed: 2, runs: 1, log: () => undefined });
    expect(report.failed).toEqual({});
    expect(report.tools.wardsight?.pps).toBeGreaterThan(0);
    for (const peer of PEERS) {
      if (report.missing.includes(peer.name)) {
        console.warn(`[skip] ${peer.name} is not installed`);
        continue;
      }
      expect(report.tools[peer.name]?.pps, peer.name).toBeGreaterThan(0);
      expect(report.ratios[peer.name], peer.name).toBeGreaterThan(0);
    }
    const json = JSON.parse(edgeJson(report)) as { tools: Record<string, { pps: number; mbps: number; rssMB: number }>; ratios: Record<string, number> };
    expect(Object.keys(json.tools.wardsight ?? {}).sort()).toEqual(['mbps', 'pps', 'rssMB']);
    expect(json.ratios).toEqual(Object.fromEntries(Object.entries(report.ratios).map(([k, v]) => [k, Math.round(v * 100) / 100])));
  });
});
if (!hasGnuTime()) console.warn('[skip] edge benchmark harness: GNU time (/usr/bin/time) is not installed');
