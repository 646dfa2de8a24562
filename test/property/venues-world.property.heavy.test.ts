import { describe, expect, it } from 'vitest';
import { property } from '../helpers/venue-scenarios';

// The heavy variant: 400 more random worlds (other seeds than the quick suite's), twice as long.
describe('venues world property, heavy', () => {
  it('400 random worlds of 120 ticks: ledgers, Σ size, units and protocols hold every tick', async () => {
    const c = await property('venues-prop-heavy', 400, 120);
    console.log('venues-world heavy coverage', JSON.stringify(c));
    expect(c.multiVenueLiq).toBeGreaterThan(c.runs / 3);
    expect(c.protocolLiq).toBeGreaterThan(c.runs / 20);
    expect(c.tokenSales).toBeGreaterThan(c.runs / 40);
    expect(c.transfers).toBeGreaterThan(c.runs / 10);
  });
});
