import { loadScenario } from '../sim/scenario/loader';
import { runScenario } from '../sim/run/run-scenario';
(async () => {
  const s = await loadScenario('test/fixtures/assets/three-assets.yaml', { sets: [] } as never);
  try { runScenario(s, { outDir: '/tmp/m3x', policy: { spec: s.config.exchange.policy, name: 'base' } as never }); } catch (e) { console.log((e as { cause?: Error }).cause?.stack ?? (e as Error).stack); }
})();
