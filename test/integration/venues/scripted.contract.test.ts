/** The scripted venue (test/support/scripted-venue.ts) against the venue contract: in-process, its faults are scripted directly. */
import { describeVenueContract } from '../../support/venue-contract';
import { SCRIPTED_INSTRUMENT, ScriptedVenue } from '../../support/scripted-venue';

const NO_HTTP = 'the scripted venue is in-process and has no HTTP; the reference venue runs this case over real sockets';
let ext = 0;

describeVenueContract('scripted', {
  abilities: { ackLost: true, fill: true, outage: true, replace: true, externalOrder: true, rateLimit: NO_HTTP, serverErrors: NO_HTTP, breaker: 'the scripted venue has no circuit breaker (no network)' },
  async makeRig() {
    const v = new ScriptedVenue('scripted', Date.now);
    return {
      connector: v,
      instrument: async () => v.instrument(SCRIPTED_INSTRUMENT.symbol)!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '99.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '1', tif: 'ioc' }),
      reject: async () => {
        v.submitScript.push('reject');
        return { reason: 'insufficient margin (scripted)' };
      },
      submitsSeen: (coid) => v.submitLog.filter((x) => x === coid).length,
      fill: async (ref, qty, price) => v.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => v.submitScript.push('lost_after_accept'),
      outage: async (whileDown) => {
        v.disconnect();
        await whileDown();
        v.reconnect();
      },
      externalOrder: async () => v.placeExternal(`web-${++ext}`, '1', '90'),
      close: async () => undefined,
    };
  },
});
