/**
 * Capture through libpcap (node_pcap): a live interface or a pcap/pcapng file, one code path.
 * node_pcap reuses one packet buffer: a sink must copy whatever it keeps beyond the call.
 *
 * The native module can be loaded by one thread of a process only, so it is loaded on first use
 * (in the capture thread), never merely by importing this file.
 */
import { createRequire } from 'node:module';
import type * as Pcap from 'pcap';
import type { PacketWithHeader, PcapSession } from 'pcap';
import { EdgeError } from '../errors.js';

export type CaptureSpec =
  | { kind: 'file'; path: string; filter?: string }
  | { kind: 'live'; interface: string; filter?: string; snapLength?: number; bufferSizeMB?: number; promiscuous?: boolean };

/** Receives each frame: the shared buffer, the captured length and the capture time in ms. */
export type FrameSink = (frame: Buffer, caplen: number, tsMs: number) => void;

export interface LibpcapCounters {
  received: number;
  dropped: number;
  ifDropped: number;
}

export const liveDefaults = {
  snapLength: 65_535,
  /** Seen here: no drops at 10–64 MB under a saturated veth; 2 MB drops. */
  bufferSizeMB: 32,
  promiscuous: true,
};

let loaded: typeof Pcap | undefined;

/** node_pcap, loaded into the calling thread on first use. */
export function loadPcap(): typeof Pcap {
  loaded ??= createRequire(import.meta.url)('pcap') as typeof Pcap;
  return loaded;
}

export class PcapCapture {
  private session: PcapSession | undefined;
  private closed = false;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(readonly spec: CaptureSpec) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** libpcap's warnings at open, e.g. that a mirror port has no IPv4 address (normal for SPAN). */
  readonly warnings: string[] = [];

  /** Opens the capture and starts delivering frames. A file capture ends by itself (see `ended`). */
  start(sink: FrameSink): void {
    const spec = this.spec;
    let session: PcapSession;
    const pcap = loadPcap();
    // node_pcap prints its warnings to the console unless told otherwise.
    pcap.warningHandler = (text: string) => this.warnings.push(text);
    try {
      if (spec.kind === 'file') {
        session = pcap.createOfflineSession(spec.path, { filter: spec.filter ?? '' });
      } else {
        const bufferSizeMB = Math.min(1024, Math.max(1, spec.bufferSizeMB ?? liveDefaults.bufferSizeMB));
        session = pcap.createSession(spec.interface, {
          filter: spec.filter ?? '',
          snap_length: Math.min(262_144, Math.max(96, spec.snapLength ?? liveDefaults.snapLength)),
          buffer_size: bufferSizeMB * 1024 * 1024,
          promiscuous: spec.promiscuous ?? liveDefaults.promiscuous,
          buffer_timeout: 100,
        });
      }
    } catch (err) {
      const where = spec.kind === 'file' ? spec.path : `interface ${spec.interface}`;
      throw new EdgeError('EDGE_ERR_CAPTURE_OPEN', `${where}: ${(err as Error).message}`, { cause: err });
    }
    if (session.link_type !== 'LINKTYPE_ETHERNET') {
      session.close();
      throw new EdgeError('EDGE_ERR_CAPTURE_LINKTYPE', `${session.link_type}; Ethernet captures are supported`);
    }
    this.session = session;
    session.on('packet', (packet: PacketWithHeader) => {
      // struct pcap_pkthdr as copied by node_pcap: ts_sec, ts_usec, caplen, len (host order).
      const h = packet.header;
      sink(packet.buf, h.readUInt32LE(8), h.readUInt32LE(0) * 1000 + Math.floor(h.readUInt32LE(4) / 1000));
    });
    session.on('complete', () => this.finish());
  }

  /** libpcap's own counters; zero for a file. */
  counters(): LibpcapCounters {
    if (!this.session || this.spec.kind === 'file' || this.closed) return { received: 0, dropped: 0, ifDropped: 0 };
    const s = this.session.stats();
    return { received: s.ps_recv, dropped: s.ps_drop, ifDropped: s.ps_ifdrop };
  }

  /** Resolves when a file has been read to its end, or when the capture is closed. */
  get ended(): Promise<void> {
    return this.done;
  }

  close(): void {
    if (this.session && !this.closed) this.session.close();
    this.finish();
  }

  private finish(): void {
    this.closed = true;
    this.resolveDone();
  }
}
