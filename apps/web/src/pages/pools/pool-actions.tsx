import { PoolInvestActions } from '../../components/money/pool-invest-panel';
import type { Pool } from '../../lib/pools';

/**
 * What an investor can do with a pool, shown in the pool page's header beside the live indicator: their position in
 * it (value, PnL, cancel while raising) and the Invest button with its dialog. It gets the live pool, so NAV and
 * status changes reach it.
 */
export function PoolActions({ pool }: { pool: Pool }) {
  return <PoolInvestActions pool={pool} />;
}
