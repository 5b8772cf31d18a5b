/**
 * Wall time and this process's CPU time (user + system) of one pass. On a shared machine the wall
 * time of a CPU-bound pass also counts the time the process waited for a core, which swings with
 * whatever else runs; its CPU time does not. CPU-bound benchmarks compare CPU times and report
 * the wall time beside them.
 */
export interface PassTime {
  readonly wallNs: number;
  readonly cpuNs: number;
}

export async function timePass(pass: () => unknown): Promise<PassTime> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await pass();
  const wallNs = Number(process.hrtime.bigint() - t0);
  const c = process.cpuUsage(c0);
  return { wallNs, cpuNs: (c.user + c.system) * 1000 };
}
