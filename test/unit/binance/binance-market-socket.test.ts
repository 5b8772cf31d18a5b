import { describe, expect, it } from 'vitest';
import { unwrapCombined } from '../../../src-main/engine/venues/binance/binance-market-socket';

describe('combined stream frames', () => {
  it('cuts the event text out of a {stream,data} frame without reparsing it; other key orders still work; answers are not frames', () => {
    const data = '{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,"b":[["1.00","2"]],"a":[]}';
    expect(unwrapCombined(`{"stream":"btcusdt@depth@100ms","data":${data}}`)).toEqual({ stream: 'btcusdt@depth@100ms', data });
    expect(unwrapCombined(`{"data":{"e":"24hrMiniTicker","s":"ETHUSDT"},"stream":"ethusdt@miniTicker"}`)).toEqual({ stream: 'ethusdt@miniTicker', data: '{"e":"24hrMiniTicker","s":"ETHUSDT"}' });
    expect(unwrapCombined('{"result":null,"id":1}')).toBeUndefined();
    expect(unwrapCombined('not json')).toBeUndefined();
  });
});
