/**
 * protocol-<name>.csv of a run of several venues: one row per tick of a lending protocol's state
 * and of what its liquidations did that tick, with the protocol's own ledger checks.
 */
import type { Protocol } from '../world/protocol';

/** The columns of protocol-<name>.csv, in order (the oracle prices follow, one per collateral). */
export const PROTOCOL_COLUMNS = [
  'tick', 'cash', 'debt', 'badDebt', 'borrowers', 'liquidations', 'repaid', 'seizedValue', 'proceeds', 'ledgerResidual', 'unitsResidual',
] as const;

/** Collects a protocol's rows as the run goes. */
export class ProtocolRecorder {
  private readonly rows: string[] = [];
  /** Largest |cash + Σ debt + bad debt − supplied| / supplied seen (the protocol's ledger check). */
  maxRelativeResidual = 0;

  constructor(readonly p: Protocol, readonly assetNames: readonly string[]) {
    this.rows.push([...PROTOCOL_COLUMNS, ...p.o.params.collateral.map((c) => `oracle_${assetNames[c.asset]}`)].join(','));
  }

  /** Records tick `t` (after the tick's liquidations). */
  sample(t: number): void {
    const { pool, tick } = this.p;
    const residual = pool.ledgerResidual();
    let units = 0;
    for (let k = 0; k < pool.collaterals; k++) units = Math.max(units, Math.abs(pool.unitsResidual(k)));
    this.maxRelativeResidual = Math.max(this.maxRelativeResidual, Math.abs(residual) / pool.supplied);
    this.rows.push([
      t, pool.cash, pool.totalDebt(), pool.badDebt, pool.borrowerCount, tick.liquidations, tick.repaid, tick.seizedValue, tick.proceeds,
      residual, units, ...this.p.prices,
    ].join(','));
  }

  /** The CSV text. */
  csv(): string {
    return this.rows.join('\n') + '\n';
  }
}
