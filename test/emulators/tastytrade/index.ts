export * from './server';
export * from './orders';
export * from './instruments';
