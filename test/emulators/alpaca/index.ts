export * from './server';
export * from './orders';
export * from './nyse-calendar';
