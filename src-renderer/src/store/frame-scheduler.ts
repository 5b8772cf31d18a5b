/** The browser's frame clock for EventCoalescer (kept apart so the coalescer stays DOM-free). */
import type { FrameScheduler } from './coalescer';

/**
 * requestAnimationFrame, with a timer fallback: a hidden or minimised window gets no frames, and
 * its store should still be current (fills, notices) when the trader looks again.
 */
export const animationFrameScheduler: FrameScheduler = (cb) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    cb();
  };
  const raf = requestAnimationFrame(run);
  const timer = setTimeout(run, 250);
  return () => {
    done = true;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
  };
};
