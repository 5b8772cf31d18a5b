/**
 * Kraken WebSocket v2 `book` checksum (docs.kraken.com, "Book checksum (WebSocket v2)"): the top
 * 10 asks (low to high) then the top 10 bids (high to low); for each level the price and the qty
 * as sent on the wire with the `.` removed and leading zeros stripped, concatenated; CRC32 of
 * that string as an unsigned 32-bit integer.
 */
import { crc32 } from 'node:zlib';

export interface WireLevel {
  readonly price: string;
  readonly qty: string;
}

function digits(s: string): string {
  return s.replace('.', '').replace(/^0+/, '');
}

function side(levels: readonly WireLevel[]): string {
  let out = '';
  for (const l of levels.slice(0, 10)) out += digits(l.price) + digits(l.qty);
  return out;
}

/** `asks` sorted low → high and `bids` high → low, prices and qtys at the pair's precision. */
export function bookChecksum(asks: readonly WireLevel[], bids: readonly WireLevel[]): number {
  return crc32(side(asks) + side(bids)) >>> 0;
}
