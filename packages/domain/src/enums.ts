import { z } from 'zod';
import {
  INVESTMENT_STATUSES,
  POOL_STATUSES,
  REFUSAL_REASONS,
  RISK_LEVELS,
  STRATEGIES,
  TRANSFER_KINDS,
  WITHDRAWAL_STATUSES,
} from './vocabulary';

/** zod enums of the shared vocabulary, for procedure inputs and outputs (the lists themselves are in vocabulary.ts). */
export const PoolStatusSchema = z.enum(POOL_STATUSES);
export const StrategySchema = z.enum(STRATEGIES);
export const RiskLevelSchema = z.enum(RISK_LEVELS);
export const InvestmentStatusSchema = z.enum(INVESTMENT_STATUSES);
export const WithdrawalStatusSchema = z.enum(WITHDRAWAL_STATUSES);
export const TransferKindSchema = z.enum(TRANSFER_KINDS);
export const RefusalReasonSchema = z.enum(REFUSAL_REASONS);
