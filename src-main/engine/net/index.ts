/** The network kit every venue connector builds on. */
export * from './venue-limits';
export * from './rate-limiter';
export * from './circuit-breaker';
export * from './venue-errors';
export * from './http-client';
export * from './resilient-ws';
export * from './venue-health';
