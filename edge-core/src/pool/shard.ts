/**
 * Which shard worker owns a device: chosen from the low 24 bits of its MAC address (the part a
 * maker assigns per interface), so that every frame a device sends, and its state, land in one
 * worker. Frames (as the ring hands them out) and device keys (as the store hands them back) go by
 * the same rule.
 */

/** The shard of a MAC whose low 24 bits are `low24`. */
function shardOfLow24(low24: number, shards: number): number {
  return shards <= 1 ? 0 : low24 % shards;
}

/**
 * Which shard owns the frame in `bytes[start, end)`: by its source MAC (octets 6–11). Frames too
 * short to carry one go to shard 0, which counts them as malformed.
 */
export function shardOfRange(bytes: Uint8Array, start: number, end: number, shards: number): number {
  if (shards <= 1 || end - start < 12) return 0;
  return shardOfLow24(((bytes[start + 9] ?? 0) << 16) | ((bytes[start + 10] ?? 0) << 8) | (bytes[start + 11] ?? 0), shards);
}

/** Shard of a device key `mac:aa:bb:cc:dd:ee:ff`; devices without a MAC go to shard 0. */
export function shardOfKey(key: string, shards: number): number {
  if (shards <= 1 || !key.startsWith('mac:') || key.length !== 21) return 0;
  return shardOfLow24(Number.parseInt(key.slice(13).replaceAll(':', ''), 16), shards);
}
