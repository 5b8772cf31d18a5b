/**
 * The order state machine. Every status change goes through `canTransition`; an illegal one is
 * refused and recorded (with the venue message that asked for it), never applied.
 */
import type { OrderStatus } from '../domain/order';

const T: Record<OrderStatus, readonly OrderStatus[]> = {
  // Journaled, not yet sent or not yet acknowledged. A fast venue may report fills before the ack.
  pending_submit: ['submitted', 'accepted', 'partially_filled', 'filled', 'rejected', 'cancelled', 'expired', 'unknown'],
  submitted: ['accepted', 'partially_filled', 'filled', 'rejected', 'cancelled', 'expired', 'pending_cancel', 'unknown'],
  accepted: ['partially_filled', 'filled', 'cancelled', 'expired', 'pending_cancel', 'pending_replace'],
  partially_filled: ['partially_filled', 'filled', 'cancelled', 'expired', 'pending_cancel', 'pending_replace'],
  // A cancel can lose the race against a fill, or be refused by the venue (back to working).
  pending_cancel: ['cancelled', 'filled', 'partially_filled', 'accepted', 'expired'],
  pending_replace: ['accepted', 'partially_filled', 'filled', 'cancelled', 'expired', 'pending_cancel'],
  // Outcome not observed: whatever the venue says by lookup or reconciliation is the truth.
  unknown: ['submitted', 'accepted', 'partially_filled', 'filled', 'rejected', 'cancelled', 'expired', 'pending_cancel'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = T;

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return T[from].includes(to);
}
