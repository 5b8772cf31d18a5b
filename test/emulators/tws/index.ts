export { TwsEmulator, type TwsEmulatorOptions, type OrderRef, type QuoteUpdate, type RestartOptions } from './server';
export { startControlServer, type ControlServer } from './control-http';
export type { ManualOrderSpec, Session } from './broker';
export type { ContractSpec, EmuExecution, EmuOrder, EmuPosition, Quote, WhatIfResult } from './types';
