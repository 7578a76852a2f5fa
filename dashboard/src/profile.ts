// The profile document's computed traits (`GET /v1/profiles/{id}` → `computed`) as the profile
// page shows them: every trait the profile has, in words; absent and null traits are left out.

import { amount, count } from './format';
import { formatTime } from './ui';

export interface Acquisition {
  source?: string | null; medium?: string | null; campaign?: string | null; channel?: string | null; acquiredAt?: string | null;
}

export interface ComputedTraits {
  firstSeenAt: string; lastSeenAt: string; eventCount: number;
  eventCountsByType: Record<string, number>; trackEventCounts: Record<string, number>;
  sessions?: number | null; orders?: number | null; revenue?: number | null; averageOrderValue?: number | null;
  firstPurchaseAt?: string | null; lastPurchaseAt?: string | null; daysSinceLastPurchase?: number | null;
  favouriteCategory?: string | null; favouriteBrand?: string | null; acquisition?: Acquisition | null;
}

export interface TraitRow { key: string; label: string; value: string }

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined && value !== '';

const days = (n: number) => (n === 0 ? 'today' : n === 1 ? '1 day ago' : `${count(n)} days ago`);

/** The "Computed traits" card's rows: only what the profile has (0 orders is shown, no orders at all is not). */
export function computedTraitRows(computed: Partial<ComputedTraits> | null | undefined): TraitRow[] {
  if (!computed) return [];
  const rows: TraitRow[] = [];
  const add = (key: string, label: string, value: string | null) => { if (value !== null) rows.push({ key, label, value }); };
  const c = computed;
  add('sessions', 'Sessions', present(c.sessions) ? count(c.sessions) : null);
  add('orders', 'Orders', present(c.orders) ? count(c.orders) : null);
  add('revenue', 'Revenue', present(c.revenue) ? amount(c.revenue) : null);
  add('averageOrderValue', 'Average order value', present(c.averageOrderValue) ? amount(c.averageOrderValue) : null);
  add('firstPurchaseAt', 'First purchase', present(c.firstPurchaseAt) ? formatTime(c.firstPurchaseAt) : null);
  const since = present(c.daysSinceLastPurchase) ? days(c.daysSinceLastPurchase) : null;
  add('lastPurchaseAt', 'Last purchase', present(c.lastPurchaseAt)
    ? `${formatTime(c.lastPurchaseAt)}${since ? ` (${since})` : ''}` : since);
  add('favouriteCategory', 'Favourite category', present(c.favouriteCategory) ? c.favouriteCategory : null);
  add('favouriteBrand', 'Favourite brand', present(c.favouriteBrand) ? c.favouriteBrand : null);
  const a = c.acquisition;
  if (a) {
    add('acquisition.channel', 'Acquisition channel', present(a.channel) ? a.channel : null);
    add('acquisition.source', 'Acquisition source', present(a.source) ? a.source : null);
    add('acquisition.medium', 'Acquisition medium', present(a.medium) ? a.medium : null);
    add('acquisition.campaign', 'Acquisition campaign', present(a.campaign) ? a.campaign : null);
    add('acquisition.acquiredAt', 'Acquired', present(a.acquiredAt) ? formatTime(a.acquiredAt) : null);
  }
  return rows;
}
