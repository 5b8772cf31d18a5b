export * from './emulator-server';
export * from './faults';
export * from './control';
