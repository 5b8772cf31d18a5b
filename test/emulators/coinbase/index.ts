export * from './server';
export * from './jwt-check';
