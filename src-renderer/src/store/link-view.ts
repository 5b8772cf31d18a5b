/**
 * Whether the page can trade, from the link to the engine. When the bridge is gone (serve
 * stopped or restarted with a new token) nothing on screen is live any more: prices are frozen,
 * venue lights are last-known, and no button may pretend to send an order. Pure, tested in Node.
 */
import type { LinkStatus } from '../api/connection';

export interface LinkView {
  /** True when orders cannot be sent from this page now. */
  readonly offline: boolean;
  /** The banner line; undefined when everything is live. */
  readonly banner: string | undefined;
  readonly tone: 'info' | 'bad';
}

const FROZEN = 'Trading is disabled here; prices and orders on screen are the last known, not live.';

/** `loaded`: a snapshot was shown on this page (it stays true after the link is lost). */
export function linkView(link: LinkStatus, loaded: boolean): LinkView {
  if (link.state === 'open') {
    return loaded ? { offline: false, banner: undefined, tone: 'info' } : { offline: true, banner: 'Loading the engine snapshot…', tone: 'info' };
  }
  if (link.state === 'connecting') return { offline: true, banner: 'Connecting to the engine…', tone: 'info' };
  if (link.state === 'reconnecting') {
    return { offline: true, banner: `The Tradeport engine is not reachable (stopped or restarting) — ${link.detail}. ${FROZEN}`, tone: 'bad' };
  }
  if (link.state === 'unauthorized' && loaded) {
    return { offline: true, banner: `The Tradeport engine restarted with a new access token: open the new address it printed (also in bridge-token in its data folder). ${FROZEN}`, tone: 'bad' };
  }
  return { offline: true, banner: `Not connected to the engine: ${link.detail}. ${FROZEN}`, tone: 'bad' };
}
