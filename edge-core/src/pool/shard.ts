/**
 * Which shard worker owns a device: chosen from the low 24 bits of its MAC address (the part a
 * maker assigns per interface), so that every frame a device sends, and its state, land in one worker.
 */

/** Shard of the frame's source MAC (octets 6–11 of the Ethernet header at `offset`). */
export function shardOfFrame(frame: Uint8Array, offset: number, shards: number): number {
  if (shards <= 1 || frame.length < offset + 12) return 0;
  return (((frame[offset + 9] ?? 0) << 16) | ((frame[offset + 10] ?? 0) << 8) | (frame[offset + 11] ?? 0)) % shards;
}

/** Shard of a device key `mac:aa:bb:cc:dd:ee:ff`; devices without a MAC go to shard 0. */
export function shardOfKey(key: string, shards: number): number {
  if (shards <= 1 || !key.startsWith('mac:') || key.length !== 21) return 0;
  return Number.parseInt(key.slice(13).replaceAll(':', ''), 16) % shards;
}
