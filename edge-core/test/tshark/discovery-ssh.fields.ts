/**
 * SSH identification strings (the banner decoder) in tshark's `ssh.protocol`. tshark dissects SSH
 * on port 22 only; the shared captures also carry an SSH-1.5 server on 2222, so both sides are told
 * that port is SSH too.
 */
import * as banner from '../../src/decoders/banner.js';
import { needsMore } from '../../src/decoders/need-more.js';
import { APP_SSH, L4_TCP, type Dissection } from '../../src/dissect.js';
import { tsharkString } from './discovery-forms.js';
import type { Extractor, Fields, Frame } from './harness.js';

/** Ports given to tshark as SSH (`-d`) beyond the registered 22. */
const EXTRA_SSH_PORTS = [2222];

function isSsh(d: Dissection): boolean {
  return d.app === APP_SSH || EXTRA_SSH_PORTS.includes(d.srcPort) || EXTRA_SSH_PORTS.includes(d.dstPort);
}

export function sshRow(frame: Frame, d: Dissection, dissected: boolean): Fields | null {
  if (!dissected || d.l4 !== L4_TCP || d.payloadLength === 0 || !isSsh(d)) return null;
  const found = banner.decode(frame.bytes, d.payloadOffset, d.payloadOffset + d.payloadLength);
  if (found === null || needsMore(found) || found.kind !== 'ssh') return null;
  return { 'ssh.protocol': [tsharkString(found.line)] };
}

export function sshExtractor(): Extractor {
  return { fields: ['ssh.protocol'], decodeAs: EXTRA_SSH_PORTS.map((port) => `tcp.port==${port},ssh`), frame: sshRow };
}
