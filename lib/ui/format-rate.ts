/** A ZLM bytesSpeed (bytes/s) as operators read it: bytes (B/s, kB/s, MB/s) and bits (kbit/s, Mbit/s), SI units. */
export function formatBytesRate(bytesPerSec: number): string {
  if (bytesPerSec < 1000) return `${Math.round(bytesPerSec)} B/s`;
  if (bytesPerSec < 1_000_000) return `${(bytesPerSec / 1000).toFixed(1)} kB/s`;
  return `${(bytesPerSec / 1_000_000).toFixed(2)} MB/s`;
}

export function formatBitRate(bytesPerSec: number): string {
  const bits = bytesPerSec * 8;
  if (bits < 1000) return `${Math.round(bits)} bit/s`;
  if (bits < 1_000_000) return `${Math.round(bits / 1000)} kbit/s`;
  return `${(bits / 1_000_000).toFixed(2)} Mbit/s`;
}
