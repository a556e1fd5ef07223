/**
 * Puts frames on a live interface through libpcap (node `pcap`'s `PcapSession.inject`), so that a
 * sensor listening there sees them as if a device had sent them. Needs root or CAP_NET_RAW.
 */
import { createRequire } from 'node:module';
import type * as Pcap from 'pcap';
import { SimError } from './errors.js';

export interface InjectOptions {
  /** Pause between frames, in milliseconds (0 sends back to back). */
  gapMs?: number;
}

export const INJECT_DEFAULTS = { gapMs: 2 } as const;
/** A longer gap only slows a test down; cap it so a typo cannot stall a run for hours. */
const MAX_GAP_MS = 10_000;

/** Injects each frame in order; resolves with the number of frames sent. */
export async function injectFrames(iface: string, frames: readonly Uint8Array[], opts: InjectOptions = {}): Promise<number> {
  const gapMs = Math.min(MAX_GAP_MS, Math.max(0, opts.gapMs ?? INJECT_DEFAULTS.gapMs));
  let session: Pcap.PcapSession;
  // Loaded here, not at import: the native module may be loaded by one thread of a process only,
  // and a process that imports the simulator may capture in another thread.
  const pcap = createRequire(import.meta.url)('pcap') as typeof Pcap;
  // "no IPv4 address assigned" is expected on a test link: keep libpcap's warnings off the console.
  pcap.warningHandler = () => undefined;
  try {
    // A filter that matches nothing keeps the session from delivering the interface's own traffic to us.
    session = pcap.createSession(iface, { filter: 'less 1', buffer_timeout: 0, promiscuous: false });
  } catch (error) {
    throw new SimError('SIM_ERR_INJECT_OPEN', iface, { cause: error });
  }
  let sent = 0;
  try {
    for (const frame of frames) {
      try {
        session.inject(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
      } catch (error) {
        throw new SimError('SIM_ERR_INJECT', `${iface}, frame ${sent} of ${frames.length}`, { cause: error });
      }
      sent++;
      if (gapMs > 0 && sent < frames.length) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  } finally {
    session.close();
  }
  return sent;
}
