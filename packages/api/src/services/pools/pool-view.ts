import type { Pool } from '@tradepool/db';
import { navPerShare, type PoolStatus, type RiskLevel, type Strategy } from '@tradepool/domain';

/** A pool as every client sees it (CONTRACT.md §3 `pool`). */
export interface PoolView {
  id: string;
  name: string;
  description: string;
  strategy: Strategy;
  pair: string;
  riskLevel: RiskLevel;
  status: PoolStatus;
  targetAmountCents: number;
  raisedCents: number;
  minInvestmentCents: number;
  startDate: string;
  endDate: string;
  settleDate: string;
  navPerShare: string;
  /** Money that trades (CONTRACT §6): 0 while PENDING. */
  capitalCents: number;
  /** capital + reported PnL, never below 0 (the raised amount while PENDING). */
  equityCents: number;
  investorCount: number;
  performanceFeeBps: number;
  createdAt: string;
  updatedAt: string;
}

export function poolView(pool: Pool): PoolView {
  return {
    id: pool.id,
    name: pool.name,
    description: pool.description,
    strategy: pool.strategy,
    pair: pool.pair,
    riskLevel: pool.riskLevel,
    status: pool.status,
    targetAmountCents: pool.targetAmountCents,
    raisedCents: pool.raisedCents,
    minInvestmentCents: pool.minInvestmentCents,
    startDate: pool.startDate.toISOString(),
    endDate: pool.endDate.toISOString(),
    settleDate: pool.settleDate.toISOString(),
    navPerShare: navPerShare(pool.equityCents, pool.totalShares),
    capitalCents: pool.capitalCents,
    equityCents: pool.equityCents,
    investorCount: pool.investorCount,
    performanceFeeBps: pool.performanceFeeBps,
    createdAt: pool.createdAt.toISOString(),
    updatedAt: pool.updatedAt.toISOString(),
  };
}
