import { describe, expect, it } from 'vitest';
import { executeOrders } from '../../sim/exchange/execution';
import { FixedPolicy } from '../../sim/exchange/policies/fixed';
import { scripted } from '../../agents/scripted';
import { buildWorld } from '../helpers/world';
import { sizeBalance } from '../helpers/size-balance';

describe('order execution', () => {
  it('fills and counts an order once when it went back to zero and was placed again in the tick', () => {
    // Several writers may set one account's order in a tick (deleverage, the strategy, a stop-loss:
    // the last call wins). An order set to 0 and then to a new size lists the account a second
    // time; execution must visit it once, or the batch's net counts it twice and the backstop takes
    // twice the other side of a fill that happened once (money and size made from nothing).
    const w = buildWorld({ policy: new FixedPolicy(20, 0.01), populations: [scripted('s', [{ side: 1, leverage: 2, collateral: 10_000, openTick: 99 }])], ticks: 1 });
    const ex = w.exchange, a = ex.accounts, i = a.count - 1;
    const fills: [number, number][] = [];
    w.bus.fills$.subscribe((f) => fills.push([f.count, f.netFlow]));
    ex.placeOrder(i, 0.1);
    ex.placeOrder(i, 0);
    ex.placeOrder(i, 0.2);
    executeOrders(ex, 0);
    expect(fills).toEqual([[1, 0.2]]);
    expect(a.size[i]).toBe(0.2);
    expect(a.size[ex.backstop]).toBe(-0.2);
    expect(sizeBalance(a).net).toBe(0);
  });
});
