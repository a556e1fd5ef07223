/** Scoring a scenario day against its truth: what counts as a match, a miss and a false alert. */
import { describe, expect, it } from 'vitest';
import { scoreScenario, scoreText, type ScenarioTruth } from '../src/scenario-score.js';

const truth: ScenarioTruth = {
  start: '2026-03-02T00:00:00.000Z',
  end: '2026-03-03T00:00:00.000Z',
  learningEnd: '2026-03-02T08:00:00.000Z',
  devices: Array.from({ length: 100 }, (_, i) => ({ device: `mac:02:00:00:00:00:${i.toString(16).padStart(2, '0')}` })),
  moves: [
    { device: 'mac:02:00:00:00:00:01', from: '1', to: '2', at: '2026-03-02T10:00:00.000Z' },
    { device: 'mac:02:00:00:00:00:02', from: '2', to: '3', at: '2026-03-02T11:00:00.000Z' },
  ],
  anomalies: [
    { device: 'mac:02:00:00:00:00:03', kind: 'scanning', at: '2026-03-02T12:00:00.000Z', alsoMatches: ['new-protocol-for-model'] },
    { device: 'mac:02:00:00:00:00:04', kind: 'new-external-destination', at: '2026-03-02T13:00:00.000Z' },
  ],
};

describe('scoreScenario', () => {
  it('matches moves within a minute and on the right floors, and anomalies by device and kind within their hour', () => {
    const s = scoreScenario(
      truth,
      [
        { device: 'mac:02:00:00:00:00:01', fromFloor: '1', toFloor: '2', at: '2026-03-02T10:00:59.000Z' },
        // Right device, a minute and a half late: a miss and an extra move.
        { device: 'mac:02:00:00:00:00:02', fromFloor: '2', toFloor: '3', at: '2026-03-02T11:01:30.000Z' },
      ],
      [
        { device: 'mac:02:00:00:00:00:03', kind: 'scanning', at: '2026-03-02T12:00:05.000Z', title: 'scan' },
        // Another side of the scan, as the truth allows.
        { device: 'mac:02:00:00:00:00:03', kind: 'new-protocol-for-model', at: '2026-03-02T12:00:01.000Z', title: 'probe' },
        // Right device, wrong kind: false.
        { device: 'mac:02:00:00:00:00:04', kind: 'new-listening-port', at: '2026-03-02T13:00:00.000Z', title: 'port' },
        // Before the learning window ended: not counted either way.
        { device: 'mac:02:00:00:00:00:09', kind: 'scanning', at: '2026-03-02T07:00:00.000Z', title: 'early' },
      ],
    );
    expect(s.moves).toMatchObject({ matched: 1, recall: 0.5, precision: 0.5 });
    expect(s.moves.missed.map((m) => m.device)).toEqual(['mac:02:00:00:00:00:02']);
    expect(s.anomalies).toMatchObject({ matched: 1, recall: 0.5, alsoShown: 1 });
    expect(s.anomalies.missed.map((a) => a.kind)).toEqual(['new-external-destination']);
    expect(s.falseAlerts.count).toBe(1);
    expect(s.falseAlerts.deviceHours).toBe(1600);
    expect(s.falseAlerts.per1000DeviceHours).toBeCloseTo(0.625);
    expect(s.anomalies.precision).toBe(0.5);
    expect(scoreText(s)).toContain('false alert    new-listening-port mac:02:00:00:00:00:04');
  });
});
