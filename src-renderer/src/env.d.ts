/// <reference types="vite/client" />
import type { TradeportClient } from '../../src-main/engine/api/transport';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge). Absent in a browser, where the bridge is used. */
    readonly tradeport?: TradeportClient;
  }
}

interface ImportMetaEnv {
  /** Build-time opt-in for the fake client outside dev builds ("1"); see api/pick-client.ts. */
  readonly VITE_TRADEPORT_FAKE?: string;
}

export {};
