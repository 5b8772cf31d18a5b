export * from './errors';
export * from './commands';
export * from './events';
export type { EngineApi, CallContext } from './engine-api';
export * from './transport';
