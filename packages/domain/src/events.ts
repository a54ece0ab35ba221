/**
 * Event names on the wire (CONTRACT.md §5): the one list socket.io rooms, replays, the tRPC streams and the SPA follow.
 * Zod-free and import-free on purpose: the SPA imports it as values (`@tradepool/domain/events`).
 */
export const POOL_EVENT_TYPES = ['pool:update', 'trade:executed', 'position:update', 'pnl:update'] as const;
export const USER_EVENT_TYPES = [
  'investment:update',
  'withdrawal:update',
  'wallet:update',
  'subscription:update',
] as const;
export const LIVE_EVENT_TYPES = [...POOL_EVENT_TYPES, ...USER_EVENT_TYPES] as const;
export type PoolEventType = (typeof POOL_EVENT_TYPES)[number];
export type UserEventType = (typeof USER_EVENT_TYPES)[number];
export type LiveEventType = PoolEventType | UserEventType;

/**
 * Every payload a client receives, on socket.io and on tRPC streams alike. `id` increases with every event, so a
 * client that reconnects with the last id it saw gets exactly what it missed.
 */
export interface LiveEvent<TData = unknown> {
  id: string;
  type: LiveEventType;
  poolId?: string;
  at: string;
  data: TData;
}

export function isPoolEventType(type: string): type is PoolEventType {
  return (POOL_EVENT_TYPES as readonly string[]).includes(type);
}
