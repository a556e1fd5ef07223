import { describe, expect, it } from 'vitest';
import { JsonCheck } from '../../src/learned/model-errors.js';
import { TokenNeighbours } from '../../src/learned/neighbours.js';
import { editDistance, MAX_SEQUENCE, SequenceNeighbours } from '../../src/learned/sequence.js';

const check = new JsonCheck('test model');

describe('token nearest neighbours', () => {
  const model = TokenNeighbours.train(
    [
      { label: 0, tokens: ['oui=Acme', 'dhcp.option12=PUMP-A', 'ip.ttl=64'] },
      { label: 0, tokens: ['oui=Acme', 'dhcp.option12=PUMP-A', 'ip.ttl=64', 'dns.query=ntp.example'] },
      { label: 1, tokens: ['oui=Acme', 'dhcp.option12=MONITOR-B', 'ip.ttl=64'] },
    ],
    2,
  );

  it('scores each class by its nearest example and its centroid', () => {
    const s = model.similarities(['oui=Acme', 'dhcp.option12=PUMP-A', 'ip.ttl=64']);
    expect(s[0]).toBeGreaterThan(0.9);
    expect(s[1]).toBeLessThan(0.5);
  });

  it('weighs a token every example shows less than one only a class shows', () => {
    const shared = model.similarities(['oui=Acme']);
    const own = model.similarities(['dhcp.option12=MONITOR-B']);
    expect(own[1]).toBeGreaterThan(shared[1] ?? 0);
    expect(own[0]).toBe(0);
  });

  it('weighs a token every example of a class shows more than one only some of its examples show', () => {
    const steady = model.similarities(['oui=Acme', 'dhcp.option12=PUMP-A']);
    const setup = model.similarities(['oui=Acme', 'dns.query=ntp.example']);
    expect(steady[0]).toBeGreaterThan(setup[0] ?? 0);
  });

  it('gives 0 for no tokens, and counts unseen tokens against every class alike', () => {
    expect([...model.similarities([])]).toEqual([0, 0]);
    const known = model.similarities(['dhcp.option12=PUMP-A']);
    const withUnseen = model.similarities(['dhcp.option12=PUMP-A', 'never=seen']);
    expect(withUnseen[0]).toBeLessThan(known[0] ?? 0);
  });

  it('saves tokens once and loads to the same answers', () => {
    const saved = model.toJSON();
    expect(saved.vocabulary).toHaveLength(5);
    const loaded = TokenNeighbours.fromJSON(JSON.parse(JSON.stringify(saved)), 2, check, 'model.tokens');
    expect(loaded.similarities(['dns.query=ntp.example'])).toEqual(model.similarities(['dns.query=ntp.example']));
    expect(() => TokenNeighbours.fromJSON({ vocabulary: ['a'], examples: [[0, [3]]] }, 2, check, 'model.tokens')).toThrow('model.tokens.examples[0][1][0] is not an index below 1');
    expect(() => TokenNeighbours.fromJSON({ vocabulary: ['a'], examples: [[2, [0]]] }, 2, check, 'model.tokens')).toThrow('model.tokens.examples[0][0] is not an index below 2');
  });
});

describe('edit distance over packet sequences', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance([], [])).toBe(0);
    expect(editDistance([1, 2, 3], [])).toBe(3);
    expect(editDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(editDistance([1, 2, 3], [1, 3])).toBe(1);
    expect(editDistance([1, 2, 3], [1, 4, 3, 5])).toBe(2);
    expect(editDistance(Int32Array.of(7, 8, 9), Int32Array.of(9, 8, 7))).toBe(2);
  });

  it('scores the class of the nearest sequence highest', () => {
    const model = SequenceNeighbours.train(
      [
        { label: 0, sequence: ['>dhcp9', '>arp6', '>dns6'] },
        { label: 1, sequence: ['>mdns8', '>mdns8', '>ssdp9'] },
      ],
      2,
    );
    const s = model.similarities(['>dhcp9', '>arp6', '>tcp6']);
    expect(s[0]).toBeCloseTo(2 / 3, 9);
    expect(s[1]).toBe(0);
    expect([...model.similarities([])]).toEqual([0, 0]);
  });

  it('compares at most MAX_SEQUENCE symbols and checks saved sequences', () => {
    const long = Array.from({ length: MAX_SEQUENCE + 10 }, (_, i) => `>s${i % 3}`);
    const model = SequenceNeighbours.train([{ label: 0, sequence: long }], 1);
    expect(model.examples[0]?.sequence).toHaveLength(MAX_SEQUENCE);
    const loaded = SequenceNeighbours.fromJSON(JSON.parse(JSON.stringify(model.toJSON())), 1, check, 'model.sequence');
    expect(loaded.similarities(long)).toEqual(model.similarities(long));
    expect(() => SequenceNeighbours.fromJSON({ symbols: [], examples: [[0]] }, 1, check, 'model.sequence')).toThrow('model.sequence.examples[0] is not [class, sequence]');
  });
});
