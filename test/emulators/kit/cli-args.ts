/** What every emulator's `npm run emulator -- <venue>` entry shares: flag values, the port, a clean stop. */

/** The value after `--name`, or undefined when the flag is absent; a flag with no value is an error. */
export function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

/** `--port`, a whole number 0..65535 (0: any free port). */
export function portOption(args: readonly string[], fallback: number): number {
  const port = Number(option(args, '--port') ?? String(fallback));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  return port;
}

export const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

/** Stops the emulator and exits on Ctrl+C or SIGTERM. */
export function stopOnSignal(emu: { stop(): Promise<void> }): void {
  const shutdown = (): void => {
    void emu.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
