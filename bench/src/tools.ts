/**
 * The tools measured on the same capture: Wardsight's whole pipeline and the peers people use today,
 * each as a command line. Every peer reads the file itself and writes its findings nowhere.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Tool {
  name: string;
  /** What the figure means, for the table. */
  does: string;
  binary: string;
  args: (file: string, scratch: string) => string[];
}

/** GNU time wraps the command, so the Node binary and the repository's entry point are named in full. */
export function wardsightTool(repo: string, shards?: number): Tool {
  return {
    name: 'wardsight',
    does: 'capture → decode → fingerprint → store',
    binary: process.execPath,
    args: (file, scratch) => [join(repo, 'bin', 'wardsight.js'), 'read', file, '--json', '--data-dir', join(scratch, 'wardsight-store'), ...(shards ? ['--shards', String(shards)] : [])],
  };
}

export const PEERS: readonly Tool[] = [
  { name: 'prads', does: 'asset and OS detection', binary: '/usr/bin/prads', args: (file, scratch) => ['-r', file, '-l', join(scratch, 'prads.log'), '-q'] },
  { name: 'p0f', does: 'passive OS fingerprinting', binary: '/usr/sbin/p0f', args: (file, scratch) => ['-r', file, '-o', join(scratch, 'p0f.log')] },
  { name: 'ndpiReader', does: 'deep packet inspection (nDPI)', binary: '/usr/bin/ndpiReader', args: (file) => ['-i', file, '-q'] },
  {
    name: 'tshark',
    does: 'identification fields',
    binary: '/usr/bin/tshark',
    args: (file) => {
      const fields = ['eth.src', 'ip.src', 'dhcp.option.hostname', 'dhcp.option.vendor_class_id', 'tls.handshake.extensions_server_name', 'dicom.assoc.ae.calling', 'dicom.userinfo.uid', 'dicom.userinfo.version', 'hl7.message.type'];
      return ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
    },
  },
  { name: 'floor', does: 'libpcap read only (tcpdump -w /dev/null)', binary: '/usr/bin/tcpdump', args: (file) => ['-r', file, '-w', '/dev/null'] },
];

export function installed(tool: Tool): boolean {
  return existsSync(tool.binary);
}
