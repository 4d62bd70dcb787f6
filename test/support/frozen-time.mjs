// Preloaded into a server (NODE_OPTIONS="--import <this file>") by a test that compares two servers' answers:
// forecasts and ages are computed from "now", and two servers started a minute apart on a busy machine read two
// different nows. With FLOORBOARD_TEST_FROZEN_MS set, every `Date.now()` and `new Date()` in the process is that
// instant, so both servers answer for the same moment. Timers still run on real time.
const at = Number(process.env.FLOORBOARD_TEST_FROZEN_MS);
if (Number.isFinite(at)) {
  const RealDate = globalThis.Date;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) =>
      args.length > 0 ? Reflect.construct(target, args, newTarget) : Reflect.construct(target, [at], newTarget),
    apply: () => new RealDate(at).toString(),
    get: (target, prop, receiver) => (prop === 'now' ? () => at : Reflect.get(target, prop, receiver)),
  });
}
